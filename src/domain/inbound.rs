//! Reading a customer's answer to a reply mail: which report it belongs to (the `reply+{token}@`
//! address, or the Message-ID of our mail in In-Reply-To/References) and the new text without the
//! quoted mail below it. Pure: the mail is parsed by the caller.

use uuid::Uuid;

/// The token in a `reply+{token}@{domain}` address, if `address` is one for `domain`.
pub fn reply_token(address: &str, domain: &str) -> Option<String> {
    let address = address.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, host) = address.rsplit_once('@')?;
    if !host.eq_ignore_ascii_case(domain) {
        return None;
    }
    let token = local.strip_prefix("reply+")?;
    (!token.is_empty() && token.len() <= 64 && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then(|| token.to_owned())
}

/// Every address in a header value such as `"A" <a@x>, b@y`.
pub fn addresses(header: &str) -> Vec<String> {
    header
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let inner = match (part.rfind('<'), part.rfind('>')) {
                (Some(a), Some(b)) if a < b => &part[a + 1..b],
                _ => part,
            };
            inner.contains('@').then(|| inner.trim().to_owned())
        })
        .collect()
}

/// The outbox ids of scanback mails (`<outbox-{uuid}@host>`) named in In-Reply-To / References.
pub fn outbox_ids(header: &str) -> Vec<Uuid> {
    header
        .split_whitespace()
        .filter_map(|id| {
            let id = id.trim().trim_start_matches('<').trim_end_matches('>');
            let rest = id.strip_prefix("outbox-")?;
            let (simple, _) = rest.split_once('@')?;
            Uuid::try_parse(simple).ok()
        })
        .collect()
}

/// The text above the quoted original: everything from the first attribution line ("On … wrote:",
/// "… пишет:"), "-----Original Message-----" or our own footer on is dropped, and so are `>` lines.
pub fn without_quote(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let attribution = (t.starts_with("On ") && t.ends_with("wrote:"))
            || t.ends_with("пишет:")
            || t.ends_with("написал:")
            || t.ends_with("написала:")
            || t.starts_with("-----Original Message-----")
            || t.starts_with("-----Исходное сообщение-----")
            || t == "-- "
            || t == FOOTER_MARK;
        if attribution {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.trim().is_empty()) {
        kept.remove(0);
    }
    kept.join("\n")
}

/// The line that starts the footer of our reply mails; text from it on is never the customer's.
pub const FOOTER_MARK: &str = "———";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_addresses_carry_their_token_for_our_domain_only() {
        assert_eq!(reply_token("reply+abc_D-1@Reply.Example.com", "reply.example.com"), Some("abc_D-1".into()));
        assert_eq!(reply_token("<reply+abc@reply.example.com>", "reply.example.com"), Some("abc".into()));
        assert_eq!(reply_token("reply+abc@other.example", "reply.example.com"), None);
        assert_eq!(reply_token("owner@reply.example.com", "reply.example.com"), None);
        assert_eq!(reply_token("reply+a b@reply.example.com", "reply.example.com"), None);
        assert_eq!(addresses("\"Acme\" <reply+t@r.example>, x@y.z"), vec!["reply+t@r.example", "x@y.z"]);
    }

    #[test]
    fn our_message_ids_are_found_in_references() {
        let id = Uuid::now_v7();
        let refs = format!("<CAF123@mail.gmail.com> <outbox-{}@scan.example.com>", id.simple());
        assert_eq!(outbox_ids(&refs), vec![id]);
        assert!(outbox_ids("<abc@def>").is_empty());
    }

    #[test]
    fn quoted_text_and_attributions_are_trimmed_in_english_and_russian() {
        let en = "Thanks, the new pan works.\n\nOn Tue, 3 Dec 2026 at 10:00, Acme <reply+x@r.example> wrote:\n> We are sorry\n> ...";
        assert_eq!(without_quote(en), "Thanks, the new pan works.");
        let ru = "Спасибо!\nВсё хорошо.\n\n3 дек. 2026 г., в 10:00, Acme пишет:\n> Здравствуйте";
        assert_eq!(without_quote(ru), "Спасибо!\nВсё хорошо.");
        let inline = "> quoted first\nMy answer\n";
        assert_eq!(without_quote(inline), "My answer");
        assert_eq!(without_quote("Ok\n———\nTo answer, reply to this mail"), "Ok");
    }
}
