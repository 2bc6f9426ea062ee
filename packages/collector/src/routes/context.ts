import type { IncomingMessage } from 'node:http';
import type { ResolvedOptions } from '../options.js';
import type { CollectorStorage } from '../storage/storage.js';
import type { TokenIssuer } from '../token.js';

/** What every route handler gets: the request, its decoded path segments, and the server's parts. */
export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  /** The path split on `/`, each segment URL-decoded (so an encoded `/` stays inside its ID). */
  segments: string[];
  options: ResolvedOptions;
  storage: CollectorStorage;
  tokens: TokenIssuer;
}
