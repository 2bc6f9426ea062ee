import { existsSync } from 'node:fs';
import { chromium, firefox, type Browser } from 'playwright-core';
import { narrowedByEnv } from './env-narrowing.ts';

/**
 * The browser engines every shim is proven in. WebKit is not among them: Debian's WebKitGTK is
 * built without WebRTC (`RTCPeerConnection` is undefined there), so no Safari engine runs here.
 */
export const ENGINES = ['chromium', 'firefox'] as const;
export type Engine = (typeof ENGINES)[number];

/** How test names and reports spell an engine. */
export const ENGINE_LABELS: Readonly<Record<Engine, string>> = { chromium: 'Chromium', firefox: 'Firefox' };

/**
 * Flags for real WebRTC in headless Chromium on a machine with no network: fake camera and
 * microphone, no permission prompts, ICE on loopback (needed inside a loopback-only namespace),
 * real host addresses instead of mDNS names, and no background connections or name lookups
 * that would leave the machine.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

/**
 * Firefox's equivalents of CHROMIUM_ARGS. Fake devices and no prompt; ICE on loopback with real
 * host addresses. The two `permissions.default.*` are needed inside the loopback-only namespace:
 * without a stored media permission Firefox gathers only the default route's address, and the
 * namespace has none. Pages of one browser share a window, so all but one are background tabs:
 * their timers must not be clamped to 1 s (callstats.js would then send one event a second), nor
 * `enumerateDevices()` held until focus. Autoplay is allowed as Chromium's headless mode does.
 */
export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.microphone': 1,
  'permissions.default.camera': 1,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.devices.unfocused.enabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
  'dom.min_background_timeout_value': 4,
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  'network.dns.disableIPv6': true,
  'network.proxy.type': 0,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

/** Debian's Chromium, or the one named by CHROMIUM_PATH; never a downloaded browser. */
export function chromiumPath(): string {
  return browserPath('CHROMIUM_PATH', '/usr/bin/chromium', "Debian's chromium package");
}

/** Debian's Firefox ESR, or the one named by FIREFOX_PATH; never a downloaded browser. */
export function firefoxPath(): string {
  return browserPath('FIREFOX_PATH', '/usr/bin/firefox-esr', "Debian's firefox-esr package");
}

function browserPath(variable: string, fallback: string, debianPackage: string): string {
  const path = process.env[variable] ?? fallback;
  if (!existsSync(path)) throw new Error(`No browser at ${path}: install ${debianPackage} or set ${variable}`);
  return path;
}

/** `extraArgs`: what a test adds to CHROMIUM_ARGS (e.g. trusting one test server's certificate). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * Stock Firefox, driven by Playwright over WebDriver BiDi (its `moz-` channels; Playwright's own
 * Firefox protocol needs a patched build). Playwright sends one BiDi command Firefox ESR 153 does
 * not know yet when it opens a context: patches/ makes it tolerate that one answer.
 */
export function launchFirefox(extraPrefs: Readonly<Record<string, string | number | boolean>> = {}): Promise<Browser> {
  return firefox.launch({
    channel: 'moz-firefox',
    executablePath: firefoxPath(),
    headless: true,
    firefoxUserPrefs: { ...FIREFOX_PREFS, ...extraPrefs },
  });
}

export interface LaunchOptions {
  /** Flags added to Chromium's. */
  chromiumArgs?: readonly string[];
  /** Preferences added to Firefox's. */
  firefoxPrefs?: Readonly<Record<string, string | number | boolean>>;
}

/** The named engine, set up for real WebRTC on loopback with fake media. */
export function launchBrowser(engine: Engine, options: LaunchOptions = {}): Promise<Browser> {
  return engine === 'firefox' ? launchFirefox(options.firefoxPrefs) : launchChromium(options.chromiumArgs);
}

/**
 * The engines a suite runs in: all of ENGINES, narrowed by `SHIMS_ENGINES` (comma-separated),
 * e.g. CI's second network shape, which reruns the conformance cases in Chromium only.
 */
export function enginesToRun(engines: readonly Engine[] = ENGINES): readonly Engine[] {
  return narrowedByEnv('SHIMS_ENGINES', 'engine', ENGINES, engines);
}
