// Options shared by the commands that look at a change.
export interface ChangeOptions {
  cwd: string;
  spec?: string;
  base?: string;
  staged: boolean;
}
