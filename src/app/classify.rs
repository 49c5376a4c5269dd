//! Suggested categories: models per manufacturer (and per line once a line has enough labels),
//! trained on the reports' categories (the team's corrections at full weight, customers' picks
//! lower) and seeded with each category's labels and the manufacturer's keywords. Everything here
//! runs in the classifier job (`jobs::classifier`), never on the submit or correction path: those
//! only nudge it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::classifier::{
    self, CUSTOMER_WEIGHT, Example, MIN_LINE_LABELS, Model, Options, SEED_WEIGHT, Suggestion, TEAM_WEIGHT,
};
use crate::domain::{FormConfig, Kind, ManufacturerId, ReportId};
use crate::store::{self, suggestions::Outcome};

/// Newest labels a manufacturer's model learns from: bounds training time (about 1 s at 10,000).
const MAX_LABELS: u64 = 5_000;
/// Reports the job looks at per pass.
const BATCH: u64 = 500;
/// Open reports re-suggested after a model changes.
const REQUEUE: u64 = 500;
/// A model older than this is trained again on use: another process may have taken corrections.
const MODEL_TTL: Duration = Duration::from_secs(300);

/// The models of one manufacturer.
struct Models {
    manufacturer: Option<Model>,
    lines: HashMap<Uuid, Model>,
    forms: HashMap<Uuid, FormConfig>,
    built: Instant,
}

/// The classifier's state, shared by the job and the use cases that nudge it.
#[derive(Default)]
pub struct Classifier {
    models: Mutex<HashMap<Uuid, Arc<Models>>>,
    dirty: Mutex<HashSet<Uuid>>,
    /// Wakes the job: a report was committed, or labels changed.
    pub wake: Notify,
}

impl Classifier {
    /// New reports are waiting.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// A manufacturer's labels, categories or keywords changed: retrain it, then re-suggest.
    pub fn labels_changed(&self, manufacturer: ManufacturerId) {
        if let Ok(mut dirty) = self.dirty.lock() {
            dirty.insert(manufacturer.get());
        }
        self.wake.notify_one();
    }

    fn take_dirty(&self) -> Vec<Uuid> {
        self.dirty.lock().map(|mut d| d.drain().collect()).unwrap_or_default()
    }

    fn cached(&self, m: Uuid) -> Option<Arc<Models>> {
        let models = self.models.lock().ok()?;
        models.get(&m).filter(|x| x.built.elapsed() < MODEL_TTL).cloned()
    }

    fn keep(&self, m: Uuid, models: Arc<Models>) {
        if let Ok(mut all) = self.models.lock() {
            all.insert(m, models);
        }
    }
}

/// `kind/key`: category keys repeat across kinds (`handle` is a defect and a usability problem).
pub fn class_of(kind: &str, key: &str) -> String {
    format!("{kind}/{key}")
}

/// Each category's own labels (every language) and key: what a model knows before any label.
pub fn seeds_of(form: &FormConfig) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for c in form.categories.for_kind(kind) {
            let mut text: Vec<String> = c.labels.values().cloned().collect();
            text.push(c.key.replace('-', " "));
            out.push((class_of(kind.as_str(), &c.key), text.join(". ")));
        }
    }
    out
}

fn train(labels: &[store::suggestions::Label], seeds: &[Example]) -> Option<Model> {
    let examples: Vec<Example> = labels
        .iter()
        .map(|l| Example {
            text: l.comment.clone(),
            class: class_of(&l.kind, &l.category),
            weight: if l.by_team { TEAM_WEIGHT } else { CUSTOMER_WEIGHT },
        })
        .collect();
    Model::train(&examples, seeds, &Options::default())
}

/// Reads labels, forms and keywords, then trains on the blocking pool.
async fn build(app: &App, m: Uuid) -> Result<Arc<Models>, AppError> {
    let labels = store::suggestions::labels(&app.db, m, MAX_LABELS).await?;
    let lines = store::product_lines::list(&app.db, m).await?;
    let keywords = store::suggestions::keywords(&app.db, m).await?;
    let forms: HashMap<Uuid, FormConfig> =
        lines.iter().map(|l| (l.id, FormConfig::from_stored(l.form_config.as_deref()))).collect();
    let built = tokio::task::spawn_blocking(move || {
        let seed =
            |class: &str, text: &str| Example { class: class.to_owned(), text: text.to_owned(), weight: SEED_WEIGHT };
        let mut keyword_seeds: Vec<Example> = Vec::new();
        for (class, words) in &keywords {
            keyword_seeds.extend(words.iter().map(|w| seed(class, w)));
        }
        let line_seeds = |form: &FormConfig| -> Vec<Example> {
            seeds_of(form).iter().map(|(c, t)| seed(c, t)).chain(keyword_seeds.iter().cloned()).collect()
        };
        let mut all_seeds: Vec<Example> = Vec::new();
        let mut seen = HashSet::new();
        for form in forms.values() {
            for e in line_seeds(form) {
                if seen.insert((e.class.clone(), e.text.clone())) {
                    all_seeds.push(e);
                }
            }
        }
        if forms.is_empty() {
            all_seeds = line_seeds(&FormConfig::default());
        }
        let mut per_line: BTreeMap<Uuid, Vec<store::suggestions::Label>> = BTreeMap::new();
        for l in &labels {
            per_line.entry(l.product_line_id).or_default().push(l.clone());
        }
        let lines = per_line
            .into_iter()
            .filter(|(_, ls)| ls.len() >= MIN_LINE_LABELS)
            .filter_map(|(line, ls)| {
                let form = forms.get(&line).cloned().unwrap_or_default();
                train(&ls, &line_seeds(&form)).map(|model| (line, model))
            })
            .collect();
        Models { manufacturer: train(&labels, &all_seeds), lines, forms, built: Instant::now() }
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("classifier training failed: {e}")))?;
    Ok(Arc::new(built))
}

async fn models(app: &App, m: Uuid) -> Result<Arc<Models>, AppError> {
    if let Some(models) = app.classifier.cached(m) {
        return Ok(models);
    }
    let models = build(app, m).await?;
    app.classifier.keep(m, models.clone());
    Ok(models)
}

/// What the models say about one report, given the categories its line's form allows for its
/// kind: a suggestion worth showing, or none.
fn judge(models: &Models, r: &store::entities::report::Model) -> Option<Suggestion> {
    if r.comment.trim().is_empty() {
        return None;
    }
    let kind = Kind::parse(&r.kind)?;
    let form = models.forms.get(&r.product_line_id).cloned().unwrap_or_default();
    let allowed: HashSet<String> =
        form.categories.for_kind(kind).iter().map(|c| class_of(kind.as_str(), &c.key)).collect();
    let model = models.lines.get(&r.product_line_id).or(models.manufacturer.as_ref())?;
    let s = model.suggest(&r.comment, |c| allowed.contains(c))?;
    let key = s.class.split_once('/').map(|(_, k)| k.to_owned())?;
    let s = Suggestion { class: key, confidence: s.confidence };
    classifier::worth_showing(r.category.as_deref(), &s).then_some(s)
}

/// One pass of the job: retrain the manufacturers whose labels changed (and re-queue their open
/// reports), then suggest for up to [`BATCH`] waiting reports. Answers how many it looked at.
pub async fn run_once(app: &App) -> Result<usize, AppError> {
    for m in app.classifier.take_dirty() {
        let fresh = build(app, m).await?;
        app.classifier.keep(m, fresh);
        store::suggestions::requeue(&app.db, m, REQUEUE).await?;
    }
    let pending = store::suggestions::pending(&app.db, BATCH).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let mut by_manufacturer: BTreeMap<Uuid, Vec<store::entities::report::Model>> = BTreeMap::new();
    for r in pending {
        by_manufacturer.entry(r.manufacturer_id).or_default().push(r);
    }
    let mut seen = 0;
    for (m, reports) in by_manufacturer {
        let models = models(app, m).await?;
        seen += reports.len();
        let outcomes = tokio::task::spawn_blocking(move || {
            reports
                .iter()
                .map(|r| {
                    let s = judge(&models, r);
                    Outcome {
                        report_id: r.id,
                        permille: s.as_ref().map(|s| (s.confidence * 1000.0).round() as i32),
                        category: s.map(|s| s.class),
                    }
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("classifier task failed: {e}")))?;
        store::suggestions::save(&app.db, &outcomes).await?;
    }
    Ok(seen)
}

/// Longest keyword, and most keywords per category.
pub const KEYWORD_MAX_CHARS: usize = 60;
pub const KEYWORDS_MAX: usize = 50;

/// The manufacturer's keywords per category (`kind/key` -> words), and the seeds every category
/// has anyway (its labels), for display.
pub async fn keywords(app: &App, who: ManufacturerId) -> Result<BTreeMap<String, Vec<String>>, AppError> {
    Ok(store::suggestions::keywords(&app.db, who.get()).await?)
}

/// Replaces the manufacturer's keywords. A category is `kind/key` with a known kind and a key as
/// forms allow; the model is retrained at once, off this request.
pub async fn set_keywords(
    app: &App,
    who: ManufacturerId,
    words: BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, Vec<String>>, AppError> {
    let mut clean: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (category, list) in words {
        let valid = category
            .split_once('/')
            .filter(|(k, key)| {
                Kind::parse(k).is_some()
                    && (1..=40).contains(&key.len())
                    && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .is_some();
        if !valid {
            return Err(AppError::invalid(
                "keywords",
                format!(
                    "`{}` is not a category: write kind/key, e.g. defect/handle",
                    category.chars().take(64).collect::<String>()
                ),
            ));
        }
        let mut cleaned: Vec<String> = list.iter().map(|w| w.trim().to_owned()).filter(|w| !w.is_empty()).collect();
        cleaned.dedup();
        if cleaned.len() > KEYWORDS_MAX
            || cleaned.iter().any(|w| w.chars().count() > KEYWORD_MAX_CHARS || w.contains('\n'))
        {
            return Err(AppError::invalid(
                "keywords",
                format!(
                    "`{category}`: at most {KEYWORDS_MAX} keywords of at most {KEYWORD_MAX_CHARS} characters each, one line each"
                ),
            ));
        }
        clean.insert(category, cleaned);
    }
    store::suggestions::set_keywords(&app.db, who.get(), &clean).await?;
    app.classifier.labels_changed(who);
    keywords(app, who).await
}

/// The team's category for a report: must be one the line's form offers for the report's kind.
/// Stored as a label; the model retrains within seconds, in the job.
pub async fn set_category(
    app: &App,
    who: ManufacturerId,
    actor: Option<Uuid>,
    id: ReportId,
    category: &str,
) -> Result<(), AppError> {
    let report = store::reports::get(&app.db, who.get(), id.get()).await.map_err(AppError::unless_missing("report"))?;
    let line = store::product_lines::get(&app.db, who.get(), report.product_line_id)
        .await
        .map_err(AppError::unless_missing("product line"))?;
    let form = FormConfig::from_stored(line.form_config.as_deref());
    let kind = Kind::parse(&report.kind).unwrap_or(Kind::Other);
    let keys: Vec<&str> = form.categories.for_kind(kind).iter().map(|c| c.key.as_str()).collect();
    let category = category.trim();
    if !keys.contains(&category) {
        return Err(AppError::invalid(
            "category",
            format!(
                "`{}` is not a category of a {} report on this line; use one of {}",
                category.chars().take(40).collect::<String>(),
                kind.as_str(),
                keys.join(", ")
            ),
        ));
    }
    store::reports::set_category(&app.db, who.get(), id.get(), category, actor)
        .await
        .map_err(AppError::unless_missing("report"))?;
    app.classifier.labels_changed(who);
    Ok(())
}
