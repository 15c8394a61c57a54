/**
 * How the roster's services reach each other: the order they start in and the variables that carry
 * their URLs. Reads the roster alone, so a process that loads it loads nothing else of ours.
 */
import { SUBGRAPHS, subgraphNamed, type SubgraphName } from '#roster';

/** The roster's subgraphs, each after those it calls onward, so their URLs are known when it starts. */
export const START_ORDER: readonly SubgraphName[] = startOrder();

function startOrder(): SubgraphName[] {
  const ordered: SubgraphName[] = [];
  while (ordered.length < SUBGRAPHS.length) {
    const next = SUBGRAPHS.find(
      (entry) => !ordered.includes(entry.name) && entry.onwardTargets.every((target) => ordered.includes(target)),
    );
    if (!next) throw new Error('The roster has a cycle of onward calls');
    ordered.push(next.name);
  }
  return ordered;
}

/** Each named subgraph's URL under the variable the roster gives it (`ORDERS_URL`, ...). */
export function urlVariables(urls: Partial<Record<SubgraphName, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [subgraphNamed(name).urlVariable, url as string]));
}

/** What a subgraph needs to reach the subgraphs it calls onward (`INVENTORY_URL` for orders, ...). */
export function onwardEnv(name: SubgraphName, urls: Partial<Record<SubgraphName, string>>): Record<string, string> {
  const targets = subgraphNamed(name).onwardTargets as readonly SubgraphName[];
  return urlVariables(Object.fromEntries(targets.map((target) => [target, urls[target]!])));
}
