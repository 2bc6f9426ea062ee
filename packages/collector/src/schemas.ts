import { z } from 'zod';

/**
 * Bodies as callstats.js 3.73.16 sends them (test/callstats-requests.sample.json). Objects are
 * loose: the library sends many more fields than the collector reads, and all are stored.
 * Only what the collector relies on is required. (The types are spelled out because the
 * package builds its declarations file by file.)
 */

/** What every event and stats body carries. */
export interface EventBody {
  callstatsVersion?: string | null;
  /** Clock-synced epoch ms. */
  timestamp: number;
  eventType: string;
  localID: string;
  deviceID?: string | null;
  remoteID?: string | null;
  connectionID?: string | null;
  [key: string]: unknown;
}

export interface UserJoinedBody extends EventBody {
  endpointInfo?: Record<string, unknown> | null;
}

interface StatsEntry {
  type: string;
  id: string;
  timestamp?: number;
  [key: string]: unknown;
}

export interface StatsBody extends EventBody {
  connectionID: string;
  stats: StatsEntry[];
}

export interface CustomStatsBody extends EventBody {
  stats?: unknown;
}

export interface GenericsBody {
  appID?: number | string | null;
  userID?: string | null;
  version?: string | null;
  /** log, error, warn, restResponseError */
  eventType: string;
  data?: unknown;
  [key: string]: unknown;
}

export interface AuthForm {
  client_id: string;
  grant_type: 'authorization_code';
  code: string;
}

// No U+0000: PostgreSQL text cannot hold it, and no callstats.js ID or name carries one.
const text = z
  .string()
  .max(4096)
  .refine((value) => !value.includes('\0'), 'must not contain U+0000');
const optionalText = text.nullish();
const optionalNumber = z.number().nullish();

const eventBody = z.looseObject({
  callstatsVersion: optionalText,
  timestamp: z.number(),
  eventType: text.min(1),
  localID: text,
  deviceID: optionalText,
  remoteID: optionalText,
  connectionID: optionalText,
});
/** Events about one pc must name it. */
const fabricBody = eventBody.extend({ connectionID: text.min(1) });
const candidates = z.array(z.looseObject({})).nullish();

export const userJoinedBodySchema: z.ZodType<UserJoinedBody> = eventBody.extend({
  endpointInfo: z.looseObject({}).nullish(),
});

/**
 * One RTCStats entry: `type` and `id` strings of at most 4096 characters, `timestamp` a number if
 * present. Checked in place: a loose zod object copies every field of every entry (about 20
 * entries of 10 to 30 fields in each batch), which was a tenth of the CPU of a stats request.
 */
const statsEntry = z.unknown().superRefine((value, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected an RTCStats entry (an object)' });
    return;
  }
  const entry = value as Record<string, unknown>;
  for (const key of ['type', 'id'] as const) {
    const v = entry[key];
    if (typeof v !== 'string')
      ctx.addIssue({ code: 'custom', message: `expected a string, received ${v === null ? 'null' : typeof v}`, path: [key] });
    else if (v.length > 4096) ctx.addIssue({ code: 'custom', message: 'too long: at most 4096 characters', path: [key] });
  }
  if (entry.timestamp !== undefined && typeof entry.timestamp !== 'number')
    ctx.addIssue({ code: 'custom', message: `expected a number, received ${typeof entry.timestamp}`, path: ['timestamp'] });
}) as unknown as z.ZodType<StatsEntry>;

export const statsBodySchema: z.ZodType<StatsBody> = fabricBody.extend({ stats: z.array(statsEntry) });

/** `sendCustomStats(pc, conferenceID, stats)`: the stats are the app's own shape. */
export const customStatsBodySchema: z.ZodType<CustomStatsBody> = eventBody.extend({ stats: z.unknown() });

/** Every event suffix the library posts to, with the body it must have. */
export const EVENT_SCHEMAS: Readonly<Record<string, z.ZodType<EventBody>>> = {
  userdetails: eventBody,
  'devices/list': eventBody,
  'fabric/setup': fabricBody.extend({
    delay: optionalNumber,
    iceGatheringDelay: optionalNumber,
    iceConnectivityDelay: optionalNumber,
    localIceCandidates: candidates,
    remoteIceCandidates: candidates,
    iceCandidatePairs: candidates,
    selectedCandidatePairID: optionalText,
    remoteEndpointType: optionalText,
    fabricTransmissionDirection: optionalText,
  }),
  'fabric/setupfailed': eventBody.extend({
    reason: optionalText,
    function: optionalText,
    message: z.string().nullish(),
    name: optionalText,
    stack: z.string().nullish(),
  }),
  'fabric/statechange': fabricBody.extend({ changedState: text, prevState: optionalText, newState: text }),
  'fabric/terminated': fabricBody,
  'fabric/actions': eventBody,
  'fabric/disruptions': eventBody,
  'fabric/details': eventBody,
  'fabric/transportchange': eventBody,
  'fabric/status': eventBody,
  'media/actions': eventBody,
  'media/pipeline': eventBody,
  sdp: eventBody,
  ssrcmap: eventBody.extend({ ssrcData: z.array(z.unknown()).nullish() }),
  'user/alive': eventBody,
  'user/left': eventBody,
  'ice/status': eventBody,
  'app/logs': eventBody,
  dominantspeaker: eventBody,
  feedback: eventBody,
  customevent: eventBody,
  conferencesummary: eventBody,
};

/** `POST collector/generics`: the library's own log lines (no auth). */
export const genericsBodySchema: z.ZodType<GenericsBody> = z.looseObject({
  appID: z.union([z.number(), text]).nullish(),
  userID: optionalText,
  version: optionalText,
  eventType: text.min(1),
  data: z.unknown(),
});

/** `POST config/{appID}/configurations`: the sender config; any object. */
export const configBodySchema: z.ZodType<Record<string, unknown>> = z.looseObject({});

/** `POST auth/authenticate`, form-encoded. */
export const authFormSchema: z.ZodType<AuthForm> = z.object({
  client_id: text.regex(/^.+@\d+$/, 'must be <userID>@<numeric appID>'),
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1).max(16_384),
});

/** The claims of the collector's own access token (the part callstats.js decodes). */
export const accessClaimsSchema: z.ZodType<{ appID: number; userID: string; expiry: string; [key: string]: unknown }> = z.looseObject({
  appID: z.number().int(),
  userID: z.string(),
  expiry: z.string(),
});

/** One line per issue, with its path: what a developer needs to fix the request. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}
