/**
 * Thrift compact protocol, generically: a struct is decoded into its fields with their wire
 * types kept, so it can be edited and encoded again byte for byte without a schema. Used to
 * cut a Parquet footer down to the row groups being read (see `ParquetFile`), which hyparquet
 * (read-only, and returning plain objects without wire types) cannot do.
 *
 * @example
 * ```ts
 * const meta = ThriftCompact.decode(footerBytes);
 * ThriftCompact.field(meta, 3)!.value = 390n; // FileMetaData.num_rows
 * const bytes = ThriftCompact.encode(meta);
 * ```
 */

/**
 * Wire types of the compact protocol (booleans are stored as BOOL whatever their value). I64
 * values decode to a number when below 2^48 (7 varint bytes), to a bigint otherwise.
 */
export const T = { BOOL: 1, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const;

export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftField[] | ThriftList | ThriftMap;
export interface ThriftField {
  readonly id: number;
  readonly type: number;
  value: ThriftValue;
}
export interface ThriftList {
  readonly elementType: number;
  readonly items: ThriftValue[];
}
export interface ThriftMap {
  readonly keyType: number;
  readonly valueType: number;
  readonly entries: Array<[ThriftValue, ThriftValue]>;
}

class CompactReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error(`thrift: unexpected end of data at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned varint of up to 35 bits as a number (sizes, i16, i32). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error(`thrift: varint too long at byte ${this.pos}`);
  }

  varbig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new Error(`thrift: varint too long at byte ${this.pos}`);
  }

  zigzag(): number {
    const n = this.varint();
    // n may exceed 2^31, so no bit operators on it.
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  /** Byte spans of the items of the list field `spansOf` (see {@link ThriftCompact.decodeSkippingList}). */
  spans: Array<[number, number]> = [];

  struct(spansOf?: number): ThriftField[] {
    const fields: ThriftField[] = [];
    let last = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return fields;
      const wire = header & 0x0f;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      if (wire === 1 || wire === 2) fields.push({ id, type: T.BOOL, value: wire === 1 });
      else if (id === spansOf && wire === T.LIST) fields.push({ id, type: wire, value: this.listSpans() });
      else fields.push({ id, type: wire, value: this.value(wire) });
    }
  }

  private listSpans(): ThriftList {
    const header = this.byte();
    const elementType = header & 0x0f;
    const size = header >> 4 === 15 ? this.varint() : header >> 4;
    for (let i = 0; i < size; i++) {
      const start = this.pos;
      this.value(elementType);
      this.spans.push([start, this.pos]);
    }
    return { elementType, items: [] };
  }

  value(type: number): ThriftValue {
    switch (type) {
      case 1:
      case 2:
        // A boolean inside a collection is one byte.
        return this.byte() === 1;
      case T.BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case T.I16:
      case T.I32:
        return this.zigzag();
      case T.I64: {
        // Offsets, sizes and counts fit a double exactly; only wider values become bigint.
        const start = this.pos;
        let n = 0;
        let scale = 1;
        for (let i = 0; i < 7; i++) {
          const b = this.byte();
          n += (b & 0x7f) * scale;
          if ((b & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
          scale *= 128;
        }
        this.pos = start;
        const big = this.varbig();
        return (big >> 1n) ^ -(big & 1n);
      }
      case T.DOUBLE: {
        if (this.pos + 8 > this.bytes.length) throw new Error(`thrift: unexpected end of data at byte ${this.pos}`);
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case T.BINARY: {
        const n = this.varint();
        if (this.pos + n > this.bytes.length) throw new Error(`thrift: binary of ${n} bytes runs past the end at byte ${this.pos}`);
        const v = this.bytes.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case T.LIST:
      case T.SET: {
        const header = this.byte();
        const elementType = header & 0x0f;
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(elementType));
        return { elementType, items };
      }
      case T.MAP: {
        const size = this.varint();
        if (size === 0) return { keyType: 0, valueType: 0, entries: [] };
        const kinds = this.byte();
        const keyType = kinds >> 4;
        const valueType = kinds & 0x0f;
        const entries: Array<[ThriftValue, ThriftValue]> = [];
        for (let i = 0; i < size; i++) entries.push([this.value(keyType), this.value(valueType)]);
        return { keyType, valueType, entries };
      }
      case T.STRUCT:
        return this.struct();
      default:
        throw new Error(`thrift: unknown compact type ${type} at byte ${this.pos - 1}`);
    }
  }
}

class CompactWriter {
  private buffer = new Uint8Array(1024);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b & 0xff;
  }

  varint(n: number): void {
    while (n >= 128) {
      this.byte((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  varbig(n: bigint): void {
    while (n >= 128n) {
      this.byte(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.byte(Number(n));
  }

  zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  struct(fields: readonly ThriftField[]): void {
    let last = 0;
    for (const { id, type, value } of fields) {
      const wire = type === T.BOOL ? (value ? 1 : 2) : type;
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | wire);
      else {
        this.byte(wire);
        this.zigzag(id);
      }
      last = id;
      if (type !== T.BOOL) this.value(type, value);
    }
    this.byte(0);
  }

  value(type: number, value: ThriftValue): void {
    switch (type) {
      case 1:
      case 2:
        this.byte(value ? 1 : 2);
        return;
      case T.BYTE:
        this.byte(value as number);
        return;
      case T.I16:
      case T.I32:
        this.zigzag(value as number);
        return;
      case T.I64: {
        if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < 2 ** 48) {
          this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
          return;
        }
        const n = BigInt(value as bigint | number);
        this.varbig(n >= 0n ? n << 1n : (-n << 1n) - 1n);
        return;
      }
      case T.DOUBLE: {
        this.reserve(8);
        new DataView(this.buffer.buffer, this.length, 8).setFloat64(0, value as number, true);
        this.length += 8;
        return;
      }
      case T.BINARY: {
        const bytes = value as Uint8Array;
        this.varint(bytes.length);
        this.reserve(bytes.length);
        this.buffer.set(bytes, this.length);
        this.length += bytes.length;
        return;
      }
      case T.LIST:
      case T.SET: {
        const { elementType, items } = value as ThriftList;
        if (items.length < 15) this.byte((items.length << 4) | elementType);
        else {
          this.byte(0xf0 | elementType);
          this.varint(items.length);
        }
        for (const item of items) this.value(elementType, item);
        return;
      }
      case T.MAP: {
        const { keyType, valueType, entries } = value as ThriftMap;
        this.varint(entries.length);
        if (entries.length === 0) return;
        this.byte((keyType << 4) | valueType);
        for (const [k, v] of entries) {
          this.value(keyType, k);
          this.value(valueType, v);
        }
        return;
      }
      case T.STRUCT:
        this.struct(value as ThriftField[]);
        return;
      default:
        throw new Error(`thrift: cannot write compact type ${type}`);
    }
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** Decode, inspect and re-encode Thrift compact structs (see the module comment). */
export const ThriftCompact = {
  /** Decode one struct starting at byte 0 of `bytes`. Throws on malformed data. */
  decode(bytes: Uint8Array): ThriftField[] {
    return new CompactReader(bytes).struct();
  },
  /** Encode a struct; `encode(decode(b))` gives `b` back for any well-formed input. */
  encode(fields: readonly ThriftField[]): Uint8Array {
    const writer = new CompactWriter();
    writer.struct(fields);
    return writer.bytes();
  },
  /**
   * Decode a struct but leave the items of its list field `listId` undecoded: the list comes
   * back empty and `spans` gives each item's bytes, to decode on demand with {@link decode}.
   * A Parquet footer kept this way costs a few objects instead of thousands per row group.
   */
  decodeSkippingList(bytes: Uint8Array, listId: number): { fields: ThriftField[]; spans: Array<[number, number]> } {
    const reader = new CompactReader(bytes);
    const fields = reader.struct(listId);
    return { fields, spans: reader.spans };
  },
  /** The field with `id`, if present. */
  field(fields: readonly ThriftField[], id: number): ThriftField | undefined {
    return fields.find((f) => f.id === id);
  },
};
