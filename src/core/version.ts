// Replaced at build time by esbuild's `define`; the fallback serves tests run from source.
declare const __SPECGATE_VERSION__: string | undefined;
export const VERSION: string = typeof __SPECGATE_VERSION__ === 'string' ? __SPECGATE_VERSION__ : '0.0.0-dev';
