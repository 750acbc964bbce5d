//! Directed graphs over `0..n`: strongly connected components and one cycle
//! per cyclic component. Iterative throughout, so a long chain of `after` or
//! `let` cannot overflow the stack.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// Strongly connected components (Tarjan), each sorted, in completion order:
/// a component comes after every component it reaches. With edges from a
/// value to what it depends on, that is dependencies first.
pub(crate) fn components(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    each_component(edges, |component| out.push(component.to_vec()));
    out
}

/// `components`, handed one at a time to `found` in a buffer reused between
/// them: finding cycles looks at every component but keeps only the cyclic
/// ones, mostly none among thousands of nodes.
fn each_component(edges: &[Vec<usize>], mut found: impl FnMut(&[usize])) {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = Vec::new();
    let mut next = 0;
    // Explicit call stack: (node, position of the next edge to follow).
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, 0));
        while let Some((node, position)) = calls.last_mut() {
            let node = *node;
            let successor = edges[node].get(*position).copied();
            *position += 1;
            match successor {
                Some(w) if w >= n => {}
                Some(w) if index[w] == UNSEEN => {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                }
                Some(w) => {
                    if on_stack[w] {
                        low[node] = low[node].min(index[w]);
                    }
                }
                None => {
                    calls.pop();
                    if let Some(&(parent, _)) = calls.last() {
                        low[parent] = low[parent].min(low[node]);
                    }
                    if low[node] == index[node] {
                        component.clear();
                        while let Some(w) = stack.pop() {
                            on_stack[w] = false;
                            component.push(w);
                            if w == node {
                                break;
                            }
                        }
                        component.sort_unstable();
                        found(&component);
                    }
                }
            }
        }
    }
}

/// Whether a component is cyclic: several nodes, or one with an edge to itself.
pub(crate) fn is_cyclic(component: &[usize], edges: &[Vec<usize>]) -> bool {
    match component {
        [single] => edges.get(*single).is_some_and(|e| e.contains(single)),
        _ => component.len() > 1,
    }
}

/// One cycle per cyclic component, as the nodes along it, starting and ending
/// at the component's smallest node (`[a, b, a]`; `[a, a]` for a self-loop).
/// The cycle is a shortest one through that node. Sorted by first node.
pub(crate) fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    // The usual case for status conditions, and often for `after`: no link,
    // so no cycle, without visiting thousands of nodes.
    if edges.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let mut found: Vec<Vec<usize>> = Vec::new();
    each_component(edges, |component| {
        if is_cyclic(component, edges)
            && let Some(cycle) = shortest_cycle(component, edges)
        {
            found.push(cycle);
        }
    });
    found.sort();
    found
}

/// A cycle (`[a, b, c, a]`) restarted at the link with the greatest key:
/// with the link's position in the file as key, the cycle starts where it is
/// closed, reading from the top (`[c, a, b, c]` when `c → a` comes last).
pub(crate) fn start_at_last_link(
    cycle: &[usize],
    key: impl Fn(usize, usize) -> usize,
) -> Vec<usize> {
    let ring = match cycle.split_last() {
        Some((_, ring)) if !ring.is_empty() => ring,
        _ => return cycle.to_vec(),
    };
    let start = cycle
        .windows(2)
        .enumerate()
        .max_by_key(|(_, pair)| match pair {
            [from, to] => key(*from, *to),
            _ => 0,
        })
        .map_or(0, |(i, _)| i);
    let mut out: Vec<usize> = ring
        .iter()
        .cycle()
        .skip(start)
        .take(ring.len())
        .copied()
        .collect();
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

/// Breadth-first search from the component's first node back to itself.
fn shortest_cycle(component: &[usize], edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    let start = *component.first()?;
    let members: FxHashSet<usize> = component.iter().copied().collect();
    let mut parent: FxHashMap<usize, usize> = FxHashMap::default();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &next in edges.get(node).into_iter().flatten() {
            if next == start {
                let mut path = vec![start, node];
                let mut at = node;
                while at != start {
                    at = *parent.get(&at)?;
                    path.push(at);
                }
                // `path` runs backwards from the closing edge: start, node, …, start.
                path.reverse();
                return Some(path);
            }
            if members.contains(&next) && !parent.contains_key(&next) && next != start {
                parent.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_come_dependencies_first() {
        // 0 -> 1 -> 2, so 2 completes first.
        let edges = vec![vec![1], vec![2], vec![]];
        assert_eq!(components(&edges), vec![vec![2], vec![1], vec![0]]);
    }

    #[test]
    fn finds_each_cycle_once() {
        // 0 <-> 1, 2 -> 2, 3 -> 4 -> 5 -> 3, 6 alone.
        let edges = vec![vec![1], vec![0], vec![2], vec![4], vec![5], vec![3], vec![]];
        assert_eq!(
            cycles(&edges),
            vec![vec![0, 1, 0], vec![2, 2], vec![3, 4, 5, 3]]
        );
    }

    #[test]
    fn shortest_cycle_through_the_first_node() {
        // 0 -> 1 -> 2 -> 0 and 0 -> 2 -> 0 share a component.
        let edges = vec![vec![1, 2], vec![2], vec![0]];
        assert_eq!(cycles(&edges), vec![vec![0, 2, 0]]);
    }

    #[test]
    fn cycles_restart_at_their_last_link() {
        let key = |from: usize, _to: usize| [10, 30, 20][from];
        assert_eq!(start_at_last_link(&[0, 1, 2, 0], key), vec![1, 2, 0, 1]);
        assert_eq!(start_at_last_link(&[2, 2], |_, _| 0), vec![2, 2]);
    }

    #[test]
    fn long_chains_do_not_overflow() {
        let n = 200_000;
        let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
        edges[n - 1] = vec![0];
        let found = cycles(&edges);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), n + 1);
    }

    #[test]
    fn out_of_range_edges_are_ignored() {
        assert!(cycles(&[vec![7]]).is_empty());
    }
}
