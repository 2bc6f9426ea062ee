import type { CDPSession } from 'playwright-core';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Roots that Chromium holds for its own pending work (a task about to fire a state change keeps
 * its pc in a C++ Persistent). A closed pc held there alone is not held by the page's code, and
 * shows up just as well without any shim.
 */
const BROWSER_ROOTS = /^C\+\+ (CrossThread)?Persistent roots/;

export interface PeerConnectionHolders {
  /** `RTCPeerConnection` objects in the heap snapshot. */
  total: number;
  /** Those reachable from the page's JS through strong edges, not only from Chromium's own persistent handles. */
  heldByPage: number;
}

async function takeSnapshot(cdp: CDPSession): Promise<Snapshot> {
  const chunks: string[] = [];
  const onChunk = (event: { chunk: string }): void => void chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  return JSON.parse(chunks.join('')) as Snapshot;
}

/**
 * Takes a heap snapshot (which collects garbage first) and finds who holds each pc: a walk from
 * the snapshot's root over strong edges that does not enter Chromium's C++ persistent roots, and
 * follows a WeakMap entry to its value only once its key is reached (a shim's
 * `WeakMap<pc, handle>` whose handle points back at the pc holds nothing). A pc the walk reaches
 * is held by something in the page (the app, the SDK or the shim).
 */
export async function peerConnectionHolders(cdp: CDPSession): Promise<PeerConnectionHolders> {
  const { snapshot, nodes, edges, strings } = await takeSnapshot(cdp);
  const { meta } = snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nameField = meta.node_fields.indexOf('name');
  const typeField = meta.node_fields.indexOf('type');
  const edgeCountField = meta.node_fields.indexOf('edge_count');
  const edgeTypeField = meta.edge_fields.indexOf('type');
  const toField = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const internal = edgeTypes.indexOf('internal');
  const idField = meta.node_fields.indexOf('id');
  const nameOrIndexField = meta.edge_fields.indexOf('name_or_index');
  // V8 names a WeakMap table's edges "part of key (X @id) -> value (Y @id) pair in WeakMap (table @id)".
  const ephemeronKey = (e: number): number | undefined => {
    if (edges[e + edgeTypeField] !== internal) return undefined;
    const match = /part of key \(.* @(\d+)\) -> value/.exec(strings[edges[e + nameOrIndexField]!] ?? '');
    return match ? nodeIndexById.get(Number(match[1])) : undefined;
  };
  const nodeCount = nodes.length / nodeFields;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) firstEdge[i + 1] = firstEdge[i]! + nodes[i * nodeFields + edgeCountField]! * edgeFields;

  const isPc = (i: number): boolean =>
    nodeTypes[nodes[i * nodeFields + typeField]!] === 'native' && strings[nodes[i * nodeFields + nameField]!] === 'RTCPeerConnection';
  const isBrowserRoot = (i: number): boolean =>
    nodeTypes[nodes[i * nodeFields + typeField]!] === 'synthetic' && BROWSER_ROOTS.test(strings[nodes[i * nodeFields + nameField]!] ?? '');

  let total = 0;
  for (let i = 0; i < nodeCount; i++) if (isPc(i)) total++;
  const nodeIndexById = new Map<number, number>();
  for (let i = 0; i < nodeCount; i++) nodeIndexById.set(nodes[i * nodeFields + idField]!, i);
  const seen = new Uint8Array(nodeCount);
  const queue = [0]; // node 0 is the snapshot's root
  seen[0] = 1;
  /** WeakMap entries: their value is held only while their key is; followed once the key is reached. */
  const ephemerons: { key: number; to: number }[] = [];
  const visit = (to: number): void => {
    if (seen[to] || isBrowserRoot(to)) return;
    seen[to] = 1;
    queue.push(to);
  };
  let heldByPage = 0;
  for (;;) {
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (isPc(node)) heldByPage++;
      for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e += edgeFields) {
        if (edges[e + edgeTypeField] === weak) continue;
        const to = edges[e + toField]! / nodeFields;
        const key = ephemeronKey(e);
        if (key !== undefined && !seen[key]) ephemerons.push({ key, to });
        else visit(to);
      }
    }
    const ready = ephemerons.filter((entry) => seen[entry.key]);
    if (ready.length === 0) break;
    for (const entry of ready) {
      ephemerons.splice(ephemerons.indexOf(entry), 1);
      visit(entry.to);
    }
  }
  return { total, heldByPage };
}
