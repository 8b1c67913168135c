//! Small helpers over quick-xml shared by the GPX, KML and dive-log readers.

use quick_xml::events::{BytesStart, Event};

/// The local name of an element (`gx:Track` → `Track`), lower-cased.
pub fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).to_ascii_lowercase()
}

/// The value of an attribute by local name, unescaped.
pub fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start.attributes().flatten().find_map(|attribute| {
        let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_ascii_lowercase();
        if key == name {
            attribute
                .unescape_value()
                .ok()
                .map(|value| value.into_owned())
        } else {
            None
        }
    })
}

/// Appends the text an event carries (text, CDATA or an entity reference).
pub fn push_text(event: &Event<'_>, into: &mut String) {
    match event {
        Event::Text(text) => {
            if let Ok(decoded) = text.decode() {
                into.push_str(&decoded);
            }
        }
        Event::CData(data) => into.push_str(&String::from_utf8_lossy(data.as_ref())),
        Event::GeneralRef(reference) => {
            let name = String::from_utf8_lossy(reference.as_ref()).into_owned();
            let resolved = match name.as_str() {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => reference.resolve_char_ref().ok().flatten(),
            };
            if let Some(character) = resolved {
                into.push(character);
            }
        }
        _ => {}
    }
}
