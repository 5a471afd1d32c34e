//! The claim graph (petgraph): articles, claims and entities as nodes;
//! `states`, `said_by`, `about`, `agrees` and `contradicts` as edges. Built
//! from a report; `--format dot` draws it.
use crate::check::Report;
use crate::compare::Kind;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Article(String),
    Claim(String),
    Entity(String),
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
pub fn build(report: &Report) -> ClaimGraph {
    let mut g = ClaimGraph::new();
    let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
    let mut node = |g: &mut ClaimGraph, key: String, n: Node| {
        *index.entry(key).or_insert_with(|| g.add_node(n))
    };
    for a in &report.articles {
        node(&mut g, format!("a:{}", a.id), Node::Article(a.id.clone()));
    }
    let mut claim_nodes = BTreeMap::new();
    for c in &report.claims {
        let a = node(
            &mut g,
            format!("a:{}", c.article),
            Node::Article(c.article.clone()),
        );
        let n = node(&mut g, format!("c:{}", c.id), Node::Claim(c.id.clone()));
        claim_nodes.insert(c.id.clone(), n);
        g.add_edge(a, n, Edge::States);
        if let Some(s) = &c.speaker {
            let e = node(&mut g, format!("e:{s}"), Node::Entity(s.clone()));
            g.add_edge(n, e, Edge::SaidBy);
        }
        if let Some(s) = &c.subject {
            let e = node(&mut g, format!("e:{s}"), Node::Entity(s.clone()));
            g.add_edge(n, e, Edge::About);
        }
    }
    for f in &report.findings {
        let edge = match f.kind {
            Kind::Agreement => Edge::Agrees,
            Kind::Contradiction | Kind::Inconsistency => Edge::Contradicts,
            _ => continue,
        };
        let ns: Vec<NodeIndex> = f
            .claims
            .iter()
            .filter_map(|c| claim_nodes.get(c).copied())
            .collect();
        for i in 0..ns.len() {
            for j in i + 1..ns.len() {
                g.add_edge(ns[i], ns[j], edge);
            }
        }
    }
    g
}

/// The graph in Graphviz's DOT language.
pub fn to_dot(report: &Report) -> String {
    let g = build(report);
    let label = |c: &str| -> String {
        report
            .claims
            .iter()
            .find(|x| x.id == c)
            .map(|x| format!("{}\\n{}", x.key, x.value.describe()))
            .unwrap_or_else(|| c.to_string())
    };
    let mut s = String::from("digraph kzcheck {\n  rankdir=LR;\n");
    for i in g.node_indices() {
        let (shape, text) = match &g[i] {
            Node::Article(a) => ("box", a.clone()),
            Node::Claim(c) => ("ellipse", label(c)),
            Node::Entity(e) => ("diamond", e.clone()),
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
