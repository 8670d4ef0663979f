//! Perturbing the leaf values changes every aggregate and rank exactly as an independent
//! computation predicts. The oracle below reads the TOML and CSV itself (toml::Value, csv) and
//! recomputes the method from scratch, sharing no code with the library.

use crate::common;

use std::collections::HashMap;
use std::fs;

/// Small deterministic generator (xorshift) so the test is repeatable without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Oracle {
    parent: HashMap<String, String>,
    weight: HashMap<String, f64>,
    coefficient: HashMap<String, bool>,
    order: Vec<String>,
    region_of: HashMap<String, String>,
    districts: Vec<String>,
}

fn weight(v: &toml::Value) -> f64 {
    match v {
        toml::Value::Float(f) => *f,
        toml::Value::Integer(i) => *i as f64,
        toml::Value::String(s) => {
            let (n, d) = s.split_once('/').unwrap();
            n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap()
        }
        other => panic!("weight {other:?}"),
    }
}

impl Oracle {
    fn read(root: &std::path::Path) -> Self {
        let ind: toml::Value = toml::from_str(&fs::read_to_string(root.join("data/2020/indicators.toml")).unwrap()).unwrap();
        let dis: toml::Value = toml::from_str(&fs::read_to_string(root.join("data/2020/districts.toml")).unwrap()).unwrap();
        let mut o = Oracle {
            parent: HashMap::new(),
            weight: HashMap::new(),
            coefficient: HashMap::new(),
            order: Vec::new(),
            region_of: HashMap::new(),
            districts: Vec::new(),
        };
        for i in ind["indicator"].as_array().unwrap() {
            let id = i["id"].as_str().unwrap().to_string();
            if let Some(p) = i.get("parent") {
                o.parent.insert(id.clone(), p.as_str().unwrap().to_string());
            }
            o.weight.insert(id.clone(), i.get("weight").map(weight).unwrap_or(1.0));
            o.coefficient.insert(id.clone(), i.get("kind").and_then(|k| k.as_str()) == Some("coefficient"));
            o.order.push(id);
        }
        for d in dis["district"].as_array().unwrap() {
            let id = d["id"].as_str().unwrap().to_string();
            o.region_of.insert(id.clone(), d["region"].as_str().unwrap().to_string());
            o.districts.push(id);
        }
        o
    }

    fn children(&self, id: &str) -> Vec<&String> {
        self.order.iter().filter(|c| self.parent.get(*c).map(|p| p == id).unwrap_or(false)).collect()
    }

    fn score(&self, id: &str, district: &str, leaves: &HashMap<(String, String), f64>) -> f64 {
        let kids = self.children(id);
        if kids.is_empty() {
            return leaves[&(district.to_string(), id.to_string())];
        }
        let mut sum = 0.0;
        let mut factor = 1.0;
        for k in kids {
            let v = self.score(k, district, leaves);
            if self.coefficient[k] { factor *= v } else { sum += self.weight[k] * v }
        }
        sum * factor
    }
}

fn published(x: f64) -> i64 {
    (x * 100.0 + 0.5 + 1e-7).floor() as i64
}

fn competition_rank(values: &[(String, f64)], who: &str) -> u32 {
    let mine = published(values.iter().find(|(d, _)| d == who).unwrap().1);
    1 + values.iter().filter(|(_, v)| published(*v) > mine).count() as u32
}

#[test]
fn perturbed_leaves_move_every_aggregate_and_rank_as_predicted() {
    let scratch = common::copy_demo();
    let root = scratch.path();
    let oracle = Oracle::read(root);
    let baseline_out = common::cityreport(&["build", "--root", root.to_str().unwrap()]);
    assert!(baseline_out.status.success());
    let baseline = common::read_indices(&fs::read(root.join("site/2020/data/indices.csv")).unwrap());

    // Perturb every leaf value by up to ±15 % (coefficients by up to ±0.05 within their range).
    let mut rng = Rng(0x2020_5eed);
    let values_path = root.join("data/2020/values.csv");
    let mut reader = csv::Reader::from_path(&values_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).unwrap();
    let mut leaves = HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        let (d, i, v) = (r[0].to_string(), r[1].to_string(), r[2].parse::<f64>().unwrap());
        let new = if oracle.coefficient[&i] {
            (v - 0.05 * rng.next()).clamp(0.8, 1.0)
        } else {
            v * (0.85 + 0.3 * rng.next())
        };
        let text = format!("{new:.6}");
        leaves.insert((d.clone(), i.clone()), text.parse::<f64>().unwrap());
        let mut fields: Vec<String> = r.iter().map(|s| s.to_string()).collect();
        fields[2] = text;
        writer.write_record(&fields).unwrap();
    }
    fs::write(&values_path, writer.into_inner().unwrap()).unwrap();

    let out = common::cityreport(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = common::read_indices(&fs::read(root.join("site/2020/data/indices.csv")).unwrap());

    let mut checked = 0;
    for id in &oracle.order {
        let scores: Vec<(String, f64)> = oracle.districts.iter().map(|d| (d.clone(), oracle.score(id, d, &leaves))).collect();
        for (d, expected) in &scores {
            let row = &after[&(id.clone(), d.clone())];
            let got: f64 = row["value"].parse().unwrap();
            assert!((got - expected).abs() < 1e-9, "{id} {d}: got {got}, oracle {expected}");
            assert_eq!(row["rank"].parse::<u32>().unwrap(), competition_rank(&scores, d), "{id} {d} rank");
            let region = &oracle.region_of[d];
            let peers: Vec<(String, f64)> = scores.iter().filter(|(p, _)| &oracle.region_of[p] == region).cloned().collect();
            assert_eq!(row["region_rank"].parse::<u32>().unwrap(), competition_rank(&peers, d), "{id} {d} region rank");
            checked += 1;
        }
        let city = scores.iter().map(|(_, v)| v).sum::<f64>() / scores.len() as f64;
        let got: f64 = after[&(id.clone(), "city".into())]["value"].parse().unwrap();
        assert!((got - city).abs() < 1e-9, "{id} city");
        for region in ["central", "suburban"] {
            let members: Vec<f64> = scores.iter().filter(|(d, _)| oracle.region_of[d] == region).map(|(_, v)| *v).collect();
            let mean = members.iter().sum::<f64>() / members.len() as f64;
            let got: f64 = after[&(id.clone(), region.into())]["value"].parse().unwrap();
            assert!((got - mean).abs() < 1e-9, "{id} {region}");
        }
        // The perturbation really moved every aggregate.
        if !oracle.children(id).is_empty() {
            for d in &oracle.districts {
                assert_ne!(baseline[&(id.clone(), d.clone())]["value"], after[&(id.clone(), d.clone())]["value"], "{id} {d} did not move");
            }
        }
    }
    assert_eq!(checked, 53 * 16);
}
