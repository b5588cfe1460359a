// Git's `working-tree-encoding` attribute: the working-tree file is in that encoding, and git
// stores (and diffs) its UTF-8 re-encoding. This decodes such a file as git would; the caller
// checks the result against the blob git would store before trusting it.

/** The file's text as git would store it, or why it cannot be decoded here. */
export type Decoded = { text: string } | { problem: string };

const BOM16LE = [0xff, 0xfe];
const BOM16BE = [0xfe, 0xff];
const BOM32LE = [0xff, 0xfe, 0x00, 0x00];
const BOM32BE = [0x00, 0x00, 0xfe, 0xff];

function startsWith(bytes: Uint8Array, bom: readonly number[]): boolean {
  return bytes.length >= bom.length && bom.every((b, i) => bytes[i] === b);
}

function decodeUtf32(bytes: Uint8Array, little: boolean): string | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const points: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) {
    const cp = view.getUint32(i, little);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    points.push(cp);
  }
  let out = '';
  for (let i = 0; i < points.length; i += 4096) out += String.fromCodePoint(...points.slice(i, i + 4096));
  return out;
}

function decodeWith(label: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether Node's decoder knows this label. */
function known(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes working-tree bytes under `working-tree-encoding=<encoding>` as git does: UTF-16 and
 * UTF-32 without LE/BE need a byte order mark (and lose it), with LE/BE they must have none
 * (git refuses either and keeps the bytes as they are); `UTF-16LE-BOM` starts with one.
 */
export function decodeWorkingTree(bytes: Uint8Array, encoding: string): Decoded {
  const name = encoding.toUpperCase().replace(/^UTF(?=\d)/, 'UTF-');
  const bad = { problem: `its bytes are not valid ${encoding}` };
  const m = /^UTF-(16|32)(LE|BE)?(-BOM)?$/.exec(name);
  if (m) {
    const wide = m[1] === '32';
    const le = wide ? BOM32LE : BOM16LE;
    const be = wide ? BOM32BE : BOM16BE;
    let little: boolean;
    let body: Uint8Array;
    if (m[2] === undefined) {
      if (m[3] !== undefined) return { problem: `git does not know the encoding ${encoding}` };
      // A UTF-32LE mark starts like a UTF-16LE one: the wider one is tried first only for UTF-32.
      if (startsWith(bytes, le)) little = true;
      else if (startsWith(bytes, be)) little = false;
      else return { problem: `it has no byte order mark, which git requires for ${encoding}` };
      body = bytes.subarray(le.length);
    } else {
      little = m[2] === 'LE';
      const mark = little ? le : be;
      if (m[3] !== undefined) {
        if (wide || !little || !startsWith(bytes, mark)) return { problem: wide || !little ? `git does not know the encoding ${encoding}` : `it has no byte order mark, which ${encoding} requires` };
        body = bytes.subarray(mark.length);
      } else {
        if (startsWith(bytes, mark)) return { problem: `it starts with a byte order mark, which git refuses for ${encoding}` };
        body = bytes;
      }
    }
    const text = wide ? decodeUtf32(body, little) : decodeWith(little ? 'utf-16le' : 'utf-16be', body);
    return text === undefined ? bad : { text };
  }
  if (!known(encoding)) return { problem: `SpecGate cannot decode ${encoding}` };
  const text = decodeWith(encoding, bytes);
  return text === undefined ? bad : { text };
}
