//! The claim graph (`kzcheck::graph`): its shape on the seeds, that it
//! stays linear in the size of a finding (an agreement of n claims is n − 1
//! edges, not n²), and the DOT drawing of the seeds as a snapshot.
use kzcheck::check::{check, Report};
use kzcheck::compare::Kind;
use kzcheck::graph::{build, to_dot, Edge, Node};
use kzcheck::load::load;
use kzcheck::rules::Rules;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod common;

fn report_of(path: &str) -> Report {
    let rules = Rules::from_dir(Path::new("rules")).expect("the rules load");
    let loaded = load(&[Path::new(path).to_path_buf()]);
    check(&loaded.articles, &rules)
}

/// Claim node of every claim id.
fn claim_nodes(g: &kzcheck::graph::ClaimGraph) -> HashMap<String, NodeIndex> {
    g.node_indices()
        .filter_map(|i| match &g[i] {
            Node::Claim(c) => Some((c.to_string(), i)),
            _ => None,
        })
        .collect()
}

/// The claims of `ids` reached from the first along `kind` edges among them.
fn reached(g: &kzcheck::graph::ClaimGraph, nodes: &[NodeIndex], kind: Edge) -> usize {
    let inside: HashSet<NodeIndex> = nodes.iter().copied().collect();
    let mut seen = HashSet::from([nodes[0]]);
    let mut todo = vec![nodes[0]];
    while let Some(n) = todo.pop() {
        for e in g
            .edges_directed(n, petgraph::Direction::Outgoing)
            .chain(g.edges_directed(n, petgraph::Direction::Incoming))
        {
            let other = if e.source() == n {
                e.target()
            } else {
                e.source()
            };
            if *e.weight() == kind && inside.contains(&other) && seen.insert(other) {
                todo.push(other);
            }
        }
    }
    seen.len()
}

fn check_shape(report: &Report) {
    let g = build(report);
    let nodes = claim_nodes(&g);
    let edges = |kind: Edge| g.edge_weights().filter(|e| **e == kind).count();
    let mut agree_claims = 0;
    let mut contra_claims = 0;
    for f in &report.findings {
        let ns: Vec<NodeIndex> = f.claims.iter().map(|c| nodes[&**c]).collect();
        match f.kind {
            Kind::Agreement if ns.len() > 1 => {
                agree_claims += ns.len() - 1;
                assert_eq!(
                    reached(&g, &ns, Edge::Agrees),
                    ns.len(),
                    "{}: the agreeing claims are connected",
                    f.message
                );
            }
            Kind::Contradiction | Kind::Inconsistency if ns.len() > 1 => {
                contra_claims += ns.len();
                for n in &ns {
                    assert!(
                        g.edges_directed(*n, petgraph::Direction::Outgoing)
                            .chain(g.edges_directed(*n, petgraph::Direction::Incoming))
                            .any(|e| *e.weight() == Edge::Contradicts),
                        "{}: every claim stands in a contradicts edge",
                        f.message
                    );
                }
            }
            _ => {}
        }
    }
    // Linear: n − 1 edges per agreement, at most about one per claim (and
    // one per pair of distinct values) per contradiction.
    assert_eq!(edges(Edge::Agrees), agree_claims);
    assert!(edges(Edge::Contradicts) <= contra_claims * 2);
}

#[test]
fn the_seeds_graph_joins_every_finding_in_linear_edges() {
    let report = report_of("seeds");
    assert!(report
        .findings
        .iter()
        .any(|f| f.kind == Kind::Agreement && f.claims.len() > 2));
    check_shape(&report);
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.bind(|| insta::assert_snapshot!("seeds__dot", to_dot(&report)));
}

#[test]
fn every_fixture_graph_joins_every_finding_in_linear_edges() {
    for dir in common::corpus_dirs() {
        check_shape(&report_of(&dir));
    }
}
