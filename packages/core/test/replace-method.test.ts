import { describe, expect, it } from 'vitest';
import { createShimMonitor, invalidArgument, replaceMethod, withDisposeSymbol } from '../src/index.js';
import { recordingClient } from './fakes.js';

class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

describe('replaceMethod', () => {
  it('wraps a prototype method on the instance and puts the prototype one back', () => {
    const greeter = new Greeter();
    const unwrap = replaceMethod(
      greeter,
      'greet',
      (original) =>
        function loud(this: unknown, name: string) {
          return String(original.call(this, name)).toUpperCase();
        },
    );
    expect(greeter.greet('bob')).toBe('HELLO BOB');
    expect(Object.keys(greeter)).toEqual([]);
    unwrap!();
    expect(Object.hasOwn(greeter, 'greet')).toBe(false);
    expect(greeter.greet('bob')).toBe('hello bob');
    unwrap!();
    expect(greeter.greet('bob')).toBe('hello bob');
  });

  it('puts back an own property as it was, enumerable included', () => {
    const own = () => 'own';
    const target = { run: own };
    const unwrap = replaceMethod(target, 'run', (original) => () => `wrapped ${original()}`);
    expect(target.run()).toBe('wrapped own');
    expect(Object.keys(target)).toEqual(['run']);
    unwrap!();
    expect(target.run).toBe(own);
    expect(Object.getOwnPropertyDescriptor(target, 'run')).toEqual({ value: own, writable: true, enumerable: true, configurable: true });
  });

  it('leaves a wrapper wrapped again by someone else in place', () => {
    const target = { run: () => 'original' };
    const unwrap = replaceMethod(target, 'run', (original) => () => `ours(${original()})`);
    const ours = target.run;
    const theirs = () => `theirs(${ours()})`;
    target.run = theirs;
    unwrap!();
    expect(target.run).toBe(theirs);
  });

  it('changes nothing and returns undefined for a missing method or a frozen object', () => {
    expect(replaceMethod({ run: 1 }, 'run', (original) => original)).toBeUndefined();
    const frozen = Object.freeze({ run: () => 'x' });
    expect(replaceMethod(frozen, 'run', () => () => 'y')).toBeUndefined();
    expect(frozen.run()).toBe('x');
  });
});

describe('withDisposeSymbol', () => {
  it('makes Symbol.dispose the same function as dispose', () => {
    const dispose = (): void => {};
    const handle = withDisposeSymbol({ dispose });
    expect(handle[Symbol.dispose]).toBe(dispose);
  });
});

describe('invalidArgument', () => {
  it('names the function, the argument, the requirement and what it got', () => {
    const error = invalidArgument('monitorX', 'options.peer', 'must be a Peer', new Map());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('monitorX: options.peer must be a Peer, got Map');
    expect(invalidArgument('f', 'a', 'must be b', null).message).toBe('f: a must be b, got null');
  });
});

describe('createShimMonitor', () => {
  it('throws a TypeError naming the shim for options that are not an object', () => {
    expect(() => createShimMonitor(recordingClient(), undefined as never, '@shims/x')).toThrow(
      new TypeError('@shims/x: options must be an object with conferenceID, got undefined'),
    );
  });
});
