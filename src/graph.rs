//! The claim graph (petgraph): articles, claims and entities as nodes;
//! `states`, `said_by`, `about`, `agrees` and `contradicts` as edges. Built
//! from a report; `--format dot` draws it.
use crate::check::ClaimIndex;
use crate::check::Report;
use crate::compare::Kind;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Article(crate::Shared),
    Claim(crate::Shared),
    Entity(crate::Shared),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    States,
    SaidBy,
    About,
    Agrees,
    Contradicts,
}

impl Edge {
    fn name(self) -> &'static str {
        match self {
            Edge::States => "states",
            Edge::SaidBy => "said_by",
            Edge::About => "about",
            Edge::Agrees => "agrees",
            Edge::Contradicts => "contradicts",
        }
    }
}

pub type ClaimGraph = DiGraph<Node, Edge>;

/// Builds the graph; node order follows the report's (sorted) order.
pub fn build<'r>(report: &'r Report) -> ClaimGraph {
    let mut g = ClaimGraph::new();
    // Each article, claim and entity is one node, found by its id: the
    // articles and entities in maps, the claims by their places in the
    // report (a million claims are a table of a few bytes each).
    let mut articles: FxHashMap<&str, NodeIndex> = FxHashMap::default();
    let mut entities: FxHashMap<&str, NodeIndex> = FxHashMap::default();
    let mut article = |g: &mut ClaimGraph, id: &'r crate::Shared| {
        *articles
            .entry(id.as_str())
            .or_insert_with(|| g.add_node(Node::Article(id.clone())))
    };
    for a in &report.articles {
        article(&mut g, &a.id);
    }
    let ids = ClaimIndex::new(&report.claims);
    let mut claim_nodes: Vec<NodeIndex> = Vec::with_capacity(report.claims.len());
    for (k, c) in report.claims.iter().enumerate() {
        let a = article(&mut g, &c.article);
        let n = match ids.first(&c.id) {
            Some(f) if f < k => claim_nodes[f],
            _ => g.add_node(Node::Claim(c.id.clone())),
        };
        claim_nodes.push(n);
        g.add_edge(a, n, Edge::States);
        for (s, edge) in [(&c.speaker, Edge::SaidBy), (&c.subject, Edge::About)] {
            if let Some(s) = s {
                let e = *entities
                    .entry(s.as_str())
                    .or_insert_with(|| g.add_node(Node::Entity(s.clone())));
                g.add_edge(n, e, edge);
            }
        }
    }
    // Claims that agree are chained, not joined pair by pair: an agreement
    // of n claims is n − 1 edges, never n². In a contradiction the first
    // claim of each value is joined to the first of every other value, and
    // every other claim to the first claim of another value: each claim
    // stands in a contradiction, in as many edges as there are claims.
    // (Claims of one value that contradict in another respect, such as who
    // said a quote, are chained.)
    for f in &report.findings {
        let ns: Vec<(NodeIndex, &str)> = f
            .claims
            .iter()
            .filter_map(|c| Some((claim_nodes[ids.first(c)?], c.as_ref())))
            .collect();
        match f.kind {
            Kind::Agreement => {
                for w in ns.windows(2) {
                    g.add_edge(w[0].0, w[1].0, Edge::Agrees);
                }
            }
            Kind::Contradiction | Kind::Inconsistency => {
                let mut classes: Vec<(&crate::value::Value, Vec<NodeIndex>)> = Vec::new();
                for &(n, id) in &ns {
                    let Some(c) = ids.get(id) else { continue };
                    match classes.iter_mut().find(|(v, _)| **v == c.value) {
                        Some((_, members)) => members.push(n),
                        None => classes.push((&c.value, vec![n])),
                    }
                }
                if classes.len() == 1 {
                    // One value, told apart by something else (who said
                    // it): the claims are chained as contradicting.
                    for w in classes[0].1.windows(2) {
                        g.add_edge(w[0], w[1], Edge::Contradicts);
                    }
                }
                for i in 0..classes.len() {
                    for j in i + 1..classes.len() {
                        g.add_edge(classes[i].1[0], classes[j].1[0], Edge::Contradicts);
                    }
                    let other = if i == 0 { 1 } else { 0 };
                    if let Some((_, o)) = classes.get(other) {
                        for &m in &classes[i].1[1..] {
                            g.add_edge(m, o[0], Edge::Contradicts);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    g
}

/// The graph in Graphviz's DOT language.
pub fn to_dot(report: &Report) -> String {
    let g = build(report);
    let by_id: std::collections::HashMap<&str, &crate::claim::Claim> = report
        .claims
        .iter()
        .map(|c| (c.id.as_ref(), &**c))
        .collect();
    let label = |c: &str| -> String {
        by_id
            .get(c)
            .map(|x| format!("{}\\n{}", x.key, x.value.describe()))
            .unwrap_or_else(|| c.to_string())
    };
    let mut s = String::from("digraph kzcheck {\n  rankdir=LR;\n");
    for i in g.node_indices() {
        let (shape, text) = match &g[i] {
            Node::Article(a) => ("box", a.to_string()),
            Node::Claim(c) => ("ellipse", label(c)),
            Node::Entity(e) => ("diamond", e.to_string()),
        };
        let _ = writeln!(
            s,
            "  n{} [shape={shape}, label=\"{}\"];",
            i.index(),
            text.replace('"', "\\\"")
        );
    }
    for e in g.edge_indices() {
        if let Some((a, b)) = g.edge_endpoints(e) {
            let kind = g[e];
            let style = match kind {
                Edge::Contradicts => ", color=red, dir=none",
                Edge::Agrees => ", color=green, dir=none",
                _ => "",
            };
            let _ = writeln!(
                s,
                "  n{} -> n{} [label=\"{}\"{style}];",
                a.index(),
                b.index(),
                kind.name()
            );
        }
    }
    s.push_str("}\n");
    s
}
