// simple-peer ships no types; the example uses it untyped rather than pull in @types/simple-peer.
declare module 'simple-peer';
