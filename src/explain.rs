//! The sentences that explain findings, in English or Arabic (`--lang`).
//!
//! Every finding's message is built here from its deciding values, dates,
//! speakers and articles, so the two languages say the same thing.
use crate::value::{DateValue, Quantity, Said, Value};

/// The language of explanations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Ar,
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The weekdays in Arabic, Monday first (ISO order).
pub const WEEKDAYS_AR: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];

fn weekday_ar(name: &str) -> &'static str {
    crate::value::WeekdayName::from_name(name)
        .map(|w| WEEKDAYS_AR[(w.0 - 1).clamp(0, 6) as usize])
        .unwrap_or("")
}

fn vague_ar(name: &str) -> String {
    match name {
        "dozens" => "عشرات".into(),
        "hundreds" => "مئات".into(),
        "thousands" => "آلاف".into(),
        "tens_of_thousands" => "عشرات الآلاف".into(),
        "hundreds_of_thousands" => "مئات الآلاف".into(),
        "a_few" => "بضعة".into(),
        other => other.into(),
    }
}

fn quantity(q: &Quantity, lang: Lang) -> String {
    let pct = if q.percent { "%" } else { "" };
    let n = |x: &f64| format!("{}{pct}", num(*x));
    match (lang, &q.said) {
        (_, Said::Exact(x)) => n(x),
        (Lang::En, Said::AtLeast(x)) => format!("at least {}", n(x)),
        (Lang::En, Said::MoreThan(x)) => format!("more than {}", n(x)),
        (Lang::En, Said::AtMost(x)) => format!("at most {}", n(x)),
        (Lang::En, Said::LessThan(x)) => format!("less than {}", n(x)),
        (Lang::En, Said::Between(a, b)) => format!("between {} and {}", num(*a), n(b)),
        (Lang::En, Said::About(x)) => format!("about {}", n(x)),
        (Lang::En, Said::Vague(v)) => v.clone(),
        (Lang::Ar, Said::AtLeast(x)) => format!("{} على الأقل", n(x)),
        (Lang::Ar, Said::MoreThan(x)) => format!("أكثر من {}", n(x)),
        (Lang::Ar, Said::AtMost(x)) => format!("{} على الأكثر", n(x)),
        (Lang::Ar, Said::LessThan(x)) => format!("أقل من {}", n(x)),
        (Lang::Ar, Said::Between(a, b)) => format!("بين {} و{}", num(*a), n(b)),
        (Lang::Ar, Said::About(x)) => format!("نحو {}", n(x)),
        (Lang::Ar, Said::Vague(v)) => vague_ar(v),
    }
}

/// A value as a short phrase: "more than 1600", "أكثر من 1600".
pub fn value(v: &Value, lang: Lang) -> String {
    match (lang, v) {
        (Lang::En, _) => v.describe(),
        (Lang::Ar, Value::Quantity(q)) => quantity(q, lang),
        (
            Lang::Ar,
            Value::Date(
                d @ DateValue::Day {
                    stated: Some(w), ..
                },
            ),
        ) => format!("{d} (قيل {})", weekday_ar(w.name())),
        (Lang::Ar, Value::Date(DateValue::Weekday(w))) => weekday_ar(w.name()).to_string(),
        (Lang::Ar, _) => v.describe(),
    }
}

/// What a report says where it names words it showed already, around the
/// article shown with them: "the same words as a-daily, above" (the text
/// report and the HTML cards say it alike).
pub fn same_words(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("the same words as", ", above"),
        Lang::Ar => ("الكلمات نفسها كما في", " أعلاه"),
    }
}

/// "16 in 002, said by tokayev, as of 2022-01-10"
pub fn side(
    v: &Value,
    article: &str,
    speaker: Option<&str>,
    as_of: Option<&str>,
    lang: Lang,
) -> String {
    let mut s = match lang {
        Lang::En => format!("{} in {article}", value(v, lang)),
        Lang::Ar => format!("{} في {article}", value(v, lang)),
    };
    if let Some(sp) = speaker {
        s.push_str(&match lang {
            Lang::En => format!(", said by {sp}"),
            Lang::Ar => format!("، على لسان {sp}"),
        });
    }
    if let Some(d) = as_of {
        s.push_str(&match lang {
            Lang::En => format!(", as of {d}"),
            Lang::Ar => format!("، بتاريخ {d}"),
        });
    }
    s
}

/// How many items a message lists before "and N more": a finding about
/// thousands of articles keeps a message an editor can read (its claims and
/// articles are all in the report's other fields).
pub const LISTED: usize = 6;

/// `items` joined by `sep`, the first `LISTED` of them and then how many
/// more there are.
pub fn listing<S: AsRef<str>>(items: &[S], sep: &str, lang: Lang) -> String {
    listing_of(items.iter(), sep, lang)
}

/// Values set against each other ("13 versus 16 versus 4 other values").
pub fn values_against<S: AsRef<str>>(sides: &[S], lang: Lang) -> String {
    values_against_of(sides.iter(), lang)
}

/// `listing` of items made as they are needed: only the first `LISTED`
/// are (a group of a large corpus has thousands of claims).
pub fn listing_of<S: AsRef<str>>(
    items: impl ExactSizeIterator<Item = S>,
    sep: &str,
    lang: Lang,
) -> String {
    listed(items, sep, |more| match lang {
        Lang::En => format!("and {more} more"),
        Lang::Ar => format!("و{more} غيرها"),
    })
}

/// `values_against` of sides made as they are needed.
pub fn values_against_of<S: AsRef<str>>(
    sides: impl ExactSizeIterator<Item = S>,
    lang: Lang,
) -> String {
    listed(sides, versus(lang), |more| match lang {
        Lang::En if more == 1 => "1 other value".to_string(),
        Lang::En => format!("{more} other values"),
        Lang::Ar => format!("{more} قيم أخرى"),
    })
}

fn listed<S: AsRef<str>>(
    items: impl ExactSizeIterator<Item = S>,
    sep: &str,
    more: impl Fn(usize) -> String,
) -> String {
    let total = items.len();
    let shown: Vec<S> = items.take(LISTED).collect();
    let mut s = shown
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<&str>>()
        .join(sep);
    if total > LISTED {
        s.push_str(sep);
        s.push_str(&more(total - LISTED));
    }
    s
}

pub fn versus(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " versus ",
        Lang::Ar => " مقابل ",
    }
}

/// A contradiction: `update` when a growing count was reported later and
/// larger.
pub fn contradiction(about: &str, update: bool, sides: &[String], lang: Lang) -> String {
    let lead = match (lang, update) {
        (Lang::En, true) => "a growing count, reported later and larger",
        (Lang::En, false) => "the sources disagree",
        (Lang::Ar, true) => "عدد يتزايد، أُعلن لاحقًا بقيمة أكبر",
        (Lang::Ar, false) => "المصادر مختلفة",
    };
    format!("{about}: {lead}: {}", values_against(sides, lang))
}

pub fn two_values(about: &str, article: &str, values: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{about}: {article} gives two values: {}",
            values.join(versus(lang))
        ),
        Lang::Ar => format!(
            "{about}: يذكر {article} قيمتين: {}",
            values.join(versus(lang))
        ),
    }
}

pub fn agreement(
    about: &str,
    values: &[String],
    articles: &[impl AsRef<str>],
    sources: &str,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "{about}: {} articles agree: {} ({}){sources}",
            articles.len(),
            listing(values, " / ", lang),
            listing(articles, ", ", lang)
        ),
        Lang::Ar => format!(
            "{about}: تتفق {} مقالات: {} ({}){sources}",
            articles.len(),
            listing(values, " / ", lang),
            listing(articles, "، ", lang)
        ),
    }
}

/// "; 2 independent sources: afp, reuters", or one source repeated.
pub fn sources(groups: usize, parts: &[String], lang: Lang) -> String {
    match (lang, groups) {
        (Lang::En, 1) => format!(
            "; 1 independent source ({}): this may be one wire story repeated",
            parts.join("")
        ),
        (Lang::En, n) => format!("; {n} independent sources: {}", listing(parts, ", ", lang)),
        (Lang::Ar, 1) => format!(
            "؛ مصدر مستقل واحد ({}): قد تكون قصة وكالة واحدة مكررة",
            parts.join("")
        ),
        (Lang::Ar, n) => format!("؛ {n} مصادر مستقلة: {}", listing(parts, "، ", lang)),
    }
}

pub fn uncredited(n: usize, lang: Lang) -> String {
    match (lang, n) {
        (Lang::En, 1) => "an uncredited article".into(),
        (Lang::En, k) => format!("{k} uncredited articles"),
        (Lang::Ar, 1) => "مقالة بلا مصدر".into(),
        (Lang::Ar, k) => format!("{k} مقالات بلا مصدر"),
    }
}

pub fn sharing_copy(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} articles sharing copy"),
        Lang::Ar => format!("{n} مقالات تتقاسم النص نفسه"),
    }
}

pub fn uncorroborated(about: &str, article: &str, values: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => format!("{about}: only {article} gives this: {}", values.join(" / ")),
        Lang::Ar => format!("{about}: لا يذكر هذا إلا {article}: {}", values.join(" / ")),
    }
}

pub fn quote_agreement(
    who: Option<&str>,
    quote: &str,
    articles: &[impl AsRef<str>],
    sources: &str,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "{} articles quote {} saying «{quote}» ({}){sources}",
            articles.len(),
            who.unwrap_or("an unnamed speaker"),
            listing(articles, ", ", lang)
        ),
        Lang::Ar => format!(
            "تنقل {} مقالات عن {} قوله «{quote}» ({}){sources}",
            articles.len(),
            who.unwrap_or("متحدث لم يُسمّ"),
            listing(articles, "، ", lang)
        ),
    }
}

pub fn quote_speakers(quote: &str, sides: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "«{quote}» is put in different mouths: {}",
            values_against(sides, lang)
        ),
        Lang::Ar => format!(
            "«{quote}» منسوب إلى أكثر من متحدث: {}",
            values_against(sides, lang)
        ),
    }
}

pub fn said_by(speaker: &str, article: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{speaker} in {article}"),
        Lang::Ar => format!("{speaker} في {article}"),
    }
}

/// A weekday that is not the date's; `how` says where the year came from.
pub fn weekday(
    article: &str,
    words: &str,
    date: &str,
    actual: &str,
    said: &str,
    how: &str,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!("{article}: «{words}» — {date} was a {actual}, not a {said}{how}"),
        Lang::Ar => format!(
            "{article}: «{words}» — كان {date} يوم {} لا {}{how}",
            weekday_ar(actual),
            weekday_ar(said)
        ),
    }
}

pub fn year_from(by: &str, lang: Lang) -> &'static str {
    match (lang, by) {
        (_, "absolute") => "",
        (Lang::En, "window") => " (year taken from the story's window)",
        (Lang::En, _) => " (read against the article's date)",
        (Lang::Ar, "window") => " (السنة من الفترة الزمنية للقصة)",
        (Lang::Ar, _) => " (قُرئ بالنسبة إلى تاريخ المقالة)",
    }
}

pub fn calendar(
    article: &str,
    hijri: &str,
    hijri_is: &str,
    gregorian: &str,
    gregorian_is: &str,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "{article}: «{hijri}» is {hijri_is} on the Umm al-Qura calendar, but the article gives «{gregorian}» ({gregorian_is}) as the same day"
        ),
        Lang::Ar => format!(
            "{article}: «{hijri}» يوافق {hijri_is} بتقويم أم القرى، لكن المقالة تجعل «{gregorian}» ({gregorian_is}) اليوم نفسه"
        ),
    }
}

pub fn name_variant(entity: &str, parts: &[String], most: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{entity} is spelled {} ways: {}; most sources write «{most}»",
            parts.len(),
            listing(parts, "; ", lang)
        ),
        Lang::Ar => format!(
            "يُكتب اسم {entity} بـ{} طرق: {}؛ تكتبه أغلب المصادر «{most}»",
            parts.len(),
            listing(parts, "؛ ", lang)
        ),
    }
}

pub fn spelling_in(spelling: &str, articles: &[&str], lang: Lang) -> String {
    match lang {
        Lang::En => format!("«{spelling}» in {}", listing(articles, ", ", lang)),
        Lang::Ar => format!("«{spelling}» في {}", listing(articles, "، ", lang)),
    }
}

pub fn reported_dispute(about: &str, article: &str, sides: &[String], lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{about}: {article} reports a dispute: {}",
            values_against(sides, lang)
        ),
        Lang::Ar => format!(
            "{about}: تنقل {article} خلافًا: {}",
            values_against(sides, lang)
        ),
    }
}

#[cfg(test)]
mod listing_tests {
    use super::*;

    #[test]
    fn long_lists_are_cut_after_six_with_how_many_more() {
        let items: Vec<String> = (1..=9).map(|i| i.to_string()).collect();
        assert_eq!(listing(&items[..6], ", ", Lang::En), "1, 2, 3, 4, 5, 6");
        assert_eq!(
            listing(&items, ", ", Lang::En),
            "1, 2, 3, 4, 5, 6, and 3 more"
        );
        assert_eq!(
            listing(&items, "، ", Lang::Ar),
            "1، 2، 3، 4، 5، 6، و3 غيرها"
        );
        assert_eq!(
            values_against(&items[..7], Lang::En),
            "1 versus 2 versus 3 versus 4 versus 5 versus 6 versus 1 other value"
        );
    }

    /// A listing makes only the items it shows, and counts the rest.
    #[test]
    fn a_listing_makes_only_what_it_shows() {
        for n in 0..(LISTED + 4) {
            let made = std::cell::Cell::new(0);
            let items = (0..n).map(|i| {
                made.set(made.get() + 1);
                format!("v{i}")
            });
            let shown = listing_of(items, ", ", Lang::En);
            assert_eq!(made.get(), n.min(LISTED));
            assert_eq!(shown.matches('v').count(), n.min(LISTED), "{shown}");
            assert_eq!(shown.ends_with(" more"), n > LISTED, "{shown}");
        }
    }
}
