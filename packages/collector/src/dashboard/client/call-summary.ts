/**
 * The conference page's summary: one table per user, a row per fabric of that user, from
 * `GET /api/conferences/{id}/summary` (fabric-summary.ts computes it on the collector). A fabric
 * is named, not linked: the fabric table above is where one is opened (one link per fabric).
 */
import type { ConferenceFabricSummary, FabricSummary, Spread } from '../../fabric-summary.js';
import { h, type Child } from './dom.js';
import { formatBitrate, formatMs, trim } from './format.js';

const HEADINGS = ['Fabric', 'To', 'Setup', 'Failures', 'Bitrate in', 'Bitrate out', 'Packets lost', 'Jitter', 'RTT', 'Time impaired'] as const;

/** `median / worst`, each written by `write`; `—` when there is no value. */
function spreadText(value: Spread, write: (n: number) => string): string {
  return value.median === null || value.worst === null ? '—' : write(value.median) + ' / ' + write(value.worst);
}

const seconds = (ms: number): string => trim(ms / 1000) + ' s';

/** What the impaired spans were due to, and when (seconds since setup). */
function impairedText(fabric: FabricSummary): string {
  if (fabric.impaired.length === 0) return fabric.points === 0 ? '—' : 'none';
  const spans = fabric.impaired.map((s) => trim(s.fromMs / 1000) + '–' + trim(s.toMs / 1000) + ' s: ' + s.causes.join(', '));
  return seconds(fabric.impairedMs) + ' (' + spans.join('; ') + ')';
}

function row(fabric: FabricSummary): HTMLTableRowElement {
  const cell = (label: (typeof HEADINGS)[number], ...children: Child[]): HTMLTableCellElement =>
    h('td', { 'data-label': label, class: label === 'Fabric' ? 'ids' : null }, ...children);
  // A data channel's pc has no media: callstats.js takes no stats of it (the intro says so), so say why once.
  const noStats = fabric.points === 0 ? (fabric.media ? 'no stats yet' : 'no stats (data channel)') : null;
  return h(
    'tr',
    {
      dataset: {
        connectionId: fabric.connectionID,
        ucId: fabric.ucID,
        media: String(fabric.media),
        points: String(fabric.points),
        packetsLost: String(fabric.packetsLost ?? ''),
        impairedMs: String(fabric.impairedMs),
      },
    },
    cell('Fabric', fabric.connectionID),
    cell('To', fabric.remoteID ?? '?'),
    cell('Setup', formatMs(fabric.setupDelayMs)),
    cell('Failures', fabric.failures === 0 ? 'none' : String(fabric.failures)),
    cell('Bitrate in', noStats ?? spreadText(fabric.bitrateInBps, formatBitrate)),
    cell('Bitrate out', noStats === null ? spreadText(fabric.bitrateOutBps, formatBitrate) : '—'),
    cell('Packets lost', fabric.packetsLost === null ? '—' : String(fabric.packetsLost)),
    cell('Jitter', spreadText(fabric.jitterMs, formatMs)),
    cell('RTT', spreadText(fabric.rttMs, formatMs)),
    cell('Time impaired', impairedText(fabric)),
  );
}

/** The users' tables, in the conference's user order. */
export function renderCallSummary(holder: HTMLElement, summary: ConferenceFabricSummary): void {
  holder.replaceChildren(
    ...summary.users.map((user) =>
      h(
        'section',
        { class: 'user-summary', dataset: { userId: user.userID, ucId: user.ucID }, 'aria-label': 'Fabrics of ' + user.userID },
        h('h3', {}, user.userID + ' · ' + user.fabrics.length + (user.fabrics.length === 1 ? ' fabric' : ' fabrics')),
        user.fabrics.length === 0
          ? h('p', { class: 'muted' }, 'No fabric yet.')
          : h(
              'table',
              { class: 'data stack' },
              h('caption', { class: 'visually-hidden' }, 'Fabrics of ' + user.userID + ': median / worst over the stats points'),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  HEADINGS.map((title) => h('th', { scope: 'col' }, title)),
                ),
              ),
              h('tbody', {}, user.fabrics.map(row)),
            ),
      ),
    ),
  );
}
