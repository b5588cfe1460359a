// Options shared by the commands that look at a change.
export interface ChangeOptions {
  cwd: string;
  spec?: string;
  base?: string;
  staged: boolean;
  /** `--no-cache`: neither read nor write the change cache in the git folder. */
  noCache?: boolean;
}
