// The built renderer (electron-vite's out/renderer) as static files: only regular files under
// the renderer directory (symlinks resolved), with a content type per extension.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export const contentTypeOf = (file: string): string => contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * The file a URL path names under root, or undefined when there is none or the path would
 * leave root (../, encoded ../ or \, NUL, a symlink pointing out). `urlPath` is still percent-encoded.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = await realpath(root).catch(() => undefined);
  if (!base) return undefined;
  const candidate = path.resolve(base, '.' + path.posix.normalize('/' + decoded));
  if (!inside(base, candidate)) return undefined;
  const real = await realpath(candidate).catch(() => undefined);
  if (!real || !inside(base, real)) return undefined;
  const info = await stat(real).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return { body: await readFile(real), contentType: contentTypeOf(real) };
}

const inside = (base: string, p: string): boolean => p !== base && p.startsWith(base + path.sep);
