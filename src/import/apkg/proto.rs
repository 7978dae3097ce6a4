//! Just enough protobuf to read the settings Anki keeps as messages in
//! schema 18: the top-level fields of a message, walked without trusting
//! any length in it.

/// Walks the top-level fields of a protobuf message.
fn fields(mut buf: &[u8]) -> impl Iterator<Item = (u64, Value<'_>)> {
    std::iter::from_fn(move || {
        let key = varint(&mut buf)?;
        let value = match key & 7 {
            0 => Value::Varint(varint(&mut buf)?),
            1 => {
                take(&mut buf, 8)?;
                Value::Skip
            }
            2 => {
                let len = usize::try_from(varint(&mut buf)?).ok()?;
                Value::Bytes(take(&mut buf, len)?)
            }
            5 => {
                take(&mut buf, 4)?;
                Value::Skip
            }
            _ => return None,
        };
        Some((key >> 3, value))
    })
}

enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Skip,
}

fn varint(buf: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = buf.split_first()?;
        *buf = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn take<'a>(buf: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if buf.len() < n {
        return None;
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Some(head)
}

pub(super) fn varint_field(buf: &[u8], field: u64) -> Option<u64> {
    fields(buf).find_map(|(f, v)| match v {
        Value::Varint(n) if f == field => Some(n),
        _ => None,
    })
}

pub(super) fn bytes_field(buf: &[u8], field: u64) -> Option<&[u8]> {
    fields(buf).find_map(|(f, v)| match v {
        Value::Bytes(b) if f == field => Some(b),
        _ => None,
    })
}

pub(super) fn string_field(buf: &[u8], field: u64) -> Option<String> {
    fields(buf).find_map(|(f, v)| match v {
        Value::Bytes(b) if f == field => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protobuf_fields_are_found() {
        // field 1 varint 1; field 2 bytes "ab"; field 3 fixed64; field 1 again ignored.
        let msg = [
            0x08, 0x01, 0x12, 0x02, b'a', b'b', 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x05,
        ];
        assert_eq!(varint_field(&msg, 1), Some(1));
        assert_eq!(string_field(&msg, 2).as_deref(), Some("ab"));
        assert_eq!(string_field(&msg, 4), None);
        // A message cut short ends the walk instead of reading past it.
        assert_eq!(string_field(&[0x12, 0x05, b'a'], 2), None);
        assert_eq!(varint_field(&[0x08, 0xff, 0xff], 1), None);
    }
}
