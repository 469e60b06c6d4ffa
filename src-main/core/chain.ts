// Profiles form chains: each may name a parent, the profile its credentials are made from (its
// provider says which). Every walk over those chains is here, so the broker, the profile checks,
// import, sync and the CLI agree: a profile's parent, its chain from the root down (with the
// loop check and each hop's region), and the profiles built on it.
import type { Profile } from '../../src-shared/profile';
import { providerFor } from './providers/registry';

/** The profile this one's credentials are made from (its source), or undefined for a chain's root. */
export const parentOf = (profile: Profile): string | undefined => providerFor(profile).parent(profile);

export interface Hop {
  profile: Profile;
  /** The region its STS calls go to: its own, else the nearest ancestor's; undefined when none names one. */
  region?: string;
}

export type ChainProblem =
  /** `name` does not exist; `dependent` names it as its source (undefined: the profile asked for). */
  | { kind: 'missing'; name: string; dependent?: string }
  /** The sources loop: from the profile asked for up to the name that repeats (a -> b -> a). */
  | { kind: 'loop'; path: string[] };

export interface Chain {
  /** Root first, the profile asked for last; with a problem, the hops found below it. */
  hops: Hop[];
  problem?: ChainProblem;
}

/**
 * Profiles by name, for walking many chains of one list: made once for the list, not once per
 * walk (10,000 profiles listed with a walk each took seconds). Only while the list is unchanged.
 */
export type ProfileIndex = ReadonlyMap<string, Profile>;
export const indexProfiles = (profiles: readonly Profile[]): ProfileIndex => new Map(profiles.map((p) => [p.name, p]));

/** A profile's chain, from its root down to it. */
export function chainOf(profiles: readonly Profile[] | ProfileIndex, name: string): Chain {
  const byName = profiles instanceof Map ? (profiles as ProfileIndex) : indexProfiles(profiles as readonly Profile[]);
  const up: Profile[] = [];
  let problem: ChainProblem | undefined;
  for (let next: string | undefined = name, dependent: string | undefined; next !== undefined; ) {
    if (up.some((p) => p.name === next)) {
      problem = { kind: 'loop', path: [...up.map((p) => p.name), next] };
      break;
    }
    const p = byName.get(next);
    if (!p) {
      problem = { kind: 'missing', name: next, dependent };
      break;
    }
    up.push(p);
    dependent = next;
    next = parentOf(p);
  }
  const hops: Hop[] = [];
  let region: string | undefined;
  for (const profile of up.reverse()) {
    region = profile.region ?? region;
    hops.push({ profile, region });
  }
  return { hops, ...(problem ? { problem } : {}) };
}

/** A profile's region, else its nearest ancestor's (where the broker sends its STS calls); undefined when none names one. */
export function regionOf(profiles: readonly Profile[] | ProfileIndex, name: string): string | undefined {
  const last = chainOf(profiles, name).hops.at(-1);
  return last?.profile.name === name ? last.region : undefined;
}

/** Profiles whose parent is this one. */
export function dependentsOf(profiles: readonly Profile[], name: string): string[] {
  return profiles.filter((p) => parentOf(p) === name).map((p) => p.name);
}

/** Every profile built on this one, however far down (not the profile itself, even in a loop). */
export function descendantsOf(profiles: readonly Profile[], name: string): string[] {
  const found = new Set<string>();
  for (let frontier = [name]; frontier.length; ) {
    frontier = frontier.flatMap((n) => dependentsOf(profiles, n)).filter((d) => d !== name && !found.has(d));
    for (const d of frontier) found.add(d);
  }
  return [...found];
}
