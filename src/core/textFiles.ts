// Files that are text by their name, whatever their bytes: source, scripts and configuration.
// Git calls a file binary when it holds a NUL byte, and shows no line of it. One NUL in a
// comment would then hide a whole source file from the review (and from the rules that read
// its lines), while node, python or a shell still run it. Such a file is read and shown as
// text, its NULs as `\u{0}`.
import textExtensions from 'text-extensions';

/** Infrastructure and script types the list leaves out (lower case). */
const MORE_EXTENSIONS = ['jsonc', 'json5', 'astro', 'prisma', 'njk', 'liquid', 'hbs', 'handlebars', 'mustache', 'ejs', 'erb', 'j2', 'jinja', 'jinja2', 'svelte', 'kt', 'kts', 'toml', 'tf', 'tfvars', 'hcl', 'nomad', 'bicep', 'ps1', 'psm1', 'psd1', 'env', 'lock', 'cts', 'mts', 'gotmpl', 'tpl', 'containerfile', 'dockerfile'];

/** Names without a telling extension (lower case). */
const NAMES = new Set([
  'dockerfile', 'containerfile', 'makefile', 'gnumakefile', 'justfile', 'jenkinsfile', 'vagrantfile', 'gemfile', 'rakefile', 'procfile', 'brewfile', 'podfile', 'fastfile',
  'codeowners', 'owners', 'license', 'readme', 'changelog',
  '.gitattributes', '.gitignore', '.gitmodules', '.dockerignore', '.npmrc', '.yarnrc', '.nvmrc', '.editorconfig', '.bashrc', '.profile', '.zshrc', '.envrc',
]);

/** Binary formats the list names as text: a SQLite database, a Rust library, a precompiled header. */
const NOT_TEXT = new Set(['sqlite', 'rlib', 'pch']);

let extensions: Set<string> | undefined;

/** Whether a repository path names a text file: by its extension, its name, or a `.env` file. */
export function textByName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (NAMES.has(name) || /^\.env(?:\..*)?$/.test(name) || /^(?:docker|container)file\b/.test(name)) return true;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return false;
  extensions ??= new Set([...textExtensions, ...MORE_EXTENSIONS].filter((e) => !NOT_TEXT.has(e)));
  return extensions.has(name.slice(dot + 1));
}
