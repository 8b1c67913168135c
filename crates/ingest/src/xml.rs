//! Small helpers over quick-xml shared by the GPX, KML and dive-log readers.

use quick_xml::events::{BytesStart, Event};

/// The local name of an element (`gx:Track` → `Track`), lower-cased.
pub fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).to_ascii_lowercase()
}

/// Deepest nesting of elements a reader follows: real files nest a
/// handful deep; ten million nested elements must not fill the memory.
pub const MAX_DEPTH: usize = 256;
/// Attributes of one element a reader looks at.
pub const MAX_ATTRIBUTES: usize = 256;

/// Enters an element, refusing a file nested deeper than [`MAX_DEPTH`].
pub fn enter<T>(stack: &mut Vec<T>, name: T) -> Result<(), String> {
    if stack.len() >= MAX_DEPTH {
        return Err(format!(
            "elements are nested more than {MAX_DEPTH} deep: not a file this reader takes"
        ));
    }
    stack.push(name);
    Ok(())
}

/// The value of an attribute by local name, unescaped. Only the first
/// [`MAX_ATTRIBUTES`] are looked at, without the duplicate check (which
/// costs the square of their number).
pub fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    attributes
        .take(MAX_ATTRIBUTES)
        .flatten()
        .find_map(|attribute| {
            let key =
                String::from_utf8_lossy(attribute.key.local_name().as_ref()).to_ascii_lowercase();
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

/// An attribute's value by local name (ASCII case ignored), handed to
/// `read` without copying when it holds no escape; the same limits as
/// [`attribute`].
pub fn attribute_with<T>(
    start: &BytesStart<'_>,
    name: &[u8],
    read: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let mut attributes = start.attributes();
    attributes.with_checks(false);
    let found = attributes
        .take(MAX_ATTRIBUTES)
        .flatten()
        .find(|attribute| {
            attribute
                .key
                .local_name()
                .as_ref()
                .eq_ignore_ascii_case(name)
        })?;
    let value = found.unescape_value().ok()?;
    read(&value)
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
