// REVIEW.md as a CommonMark (GFM) reader sees it: the tests check what a renderer would show,
// not the characters written.

export interface MdNode {
  type: string;
  value?: string;
  depth?: number;
  children?: MdNode[];
}

/** The markdown's syntax tree (remark with GFM tables). */
export async function parseMd(md: string): Promise<MdNode> {
  const [{ unified }, parse, gfm] = await Promise.all([import('unified'), import('remark-parse'), import('remark-gfm')]);
  return unified().use(parse.default).use(gfm.default).parse(md) as unknown as MdNode;
}

/** Every node of the tree, depth first, `n` included. */
export function* nodes(n: MdNode): Generator<MdNode> {
  yield n;
  for (const c of n.children ?? []) yield* nodes(c);
}
