// How a YAML parse error is said to the person who wrote the file (config, front matter).

/**
 * A YAML library error as a reader's reason: its first line, without the position (counted
 * from inside the front matter, which the problem's own line replaces), and the library's
 * advice to a programmer said as what to change in the file.
 */
export function yamlReason(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?\s*$/, '');
  return /^Source contains multiple documents/.test(first) ? 'it holds more than one YAML document: remove the second `---`' : first;
}
