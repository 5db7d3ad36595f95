/**
 * Decoding TFRecord-framed event data held in memory: each record's length and payload CRCs are
 * verified and its payload decoded as an `Event`. No I/O: `node-reader.ts` feeds it from files.
 *
 * Truncation vs corruption, as TensorBoard's readers see them: a final record cut short (a file
 * still being written, or a writer killed mid-write) is a *truncated tail*: the complete records
 * before it are returned and the tail is reported through `onTruncatedTail` / `truncatedTails`.
 * A record whose length or payload CRC does not match, or whose payload is not an `Event`, is
 * *corruption*: `CorruptRecordError` with the byte offset of the record.
 */

import { crc32c, maskCrc32c } from './crc32c';
import { decodeEvent } from './decode';
import { CorruptRecordError } from './errors';
import type { TensorBoardEvent } from './proto-types';
import { ProtoDecodeError } from './protobuf';
import { RECORD_FOOTER_BYTES, RECORD_HEADER_BYTES } from './record-framing';
import { IssueCollector } from './validation';

/** One decoded record and where it sits in the file. */
export interface EventRecord {
  /** Byte offset of the record (its length field) in the file. */
  readonly offset: number;
  /** Payload length in bytes. */
  readonly length: number;
  readonly event: TensorBoardEvent;
}

/** A final record cut short. `expectedBytes` is known once the 12-byte header is complete. */
export interface TruncatedTail {
  readonly file: string | undefined;
  /** Byte offset where the incomplete record starts (= bytes of complete records before it). */
  readonly offset: number;
  /** Bytes present from `offset` to the end of the file. */
  readonly availableBytes: number;
  /** Full size the record would have (header + payload + CRC), when the header is complete. */
  readonly expectedBytes: number | undefined;
}

export interface ReadEventsOptions {
  /** Called once, after the last complete record, when the file ends inside a record. */
  readonly onTruncatedTail?: (tail: TruncatedTail) => void;
}

export type ParseStep =
  | { readonly kind: 'record'; readonly record: EventRecord; readonly next: number }
  | { readonly kind: 'incomplete'; readonly expectedBytes: number | undefined };

/** Parses the record at `bytes[pos]`, with `base` the file offset of `bytes[0]`. Throws `CorruptRecordError`. */
export function parseRecord(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
  base: number,
  file: string | undefined,
): ParseStep {
  const available = bytes.length - pos;
  if (available < RECORD_HEADER_BYTES) return { kind: 'incomplete', expectedBytes: undefined };
  const offset = base + pos;
  const lengthCrc = view.getUint32(pos + 8, true);
  const actualLengthCrc = maskCrc32c(crc32c(bytes, pos, pos + 8));
  if (lengthCrc !== actualLengthCrc) {
    throw new CorruptRecordError(
      'length-crc',
      offset,
      file,
      `length CRC 0x${hex(lengthCrc)} does not match 0x${hex(actualLengthCrc)}`,
    );
  }
  const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 4294967296;
  const total = RECORD_HEADER_BYTES + length + RECORD_FOOTER_BYTES;
  if (available < total) return { kind: 'incomplete', expectedBytes: total };
  const payloadStart = pos + RECORD_HEADER_BYTES;
  const payloadEnd = payloadStart + length;
  const payloadCrc = view.getUint32(payloadEnd, true);
  const actualPayloadCrc = maskCrc32c(crc32c(bytes, payloadStart, payloadEnd));
  if (payloadCrc !== actualPayloadCrc) {
    throw new CorruptRecordError(
      'payload-crc',
      offset,
      file,
      `payload CRC 0x${hex(payloadCrc)} does not match 0x${hex(actualPayloadCrc)} (payload of ${length} bytes)`,
    );
  }
  let event: TensorBoardEvent;
  try {
    event = decodeEvent(bytes, payloadStart, payloadEnd);
  } catch (error) {
    if (error instanceof ProtoDecodeError) {
      throw new CorruptRecordError(
        'malformed-event',
        offset,
        file,
        `payload is not an Event: ${error.message}`,
      );
    }
    throw error;
  }
  return { kind: 'record', record: { offset, length, event }, next: pos + total };
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/**
 * Decodes the records of an in-memory event file. Stops at a truncated tail (reported through
 * `onTruncatedTail`); throws `CorruptRecordError` at the first corrupted record.
 */
export function* decodeRecords(
  bytes: Uint8Array,
  options: ReadEventsOptions & { readonly file?: string } = {},
): Generator<EventRecord, void, undefined> {
  if (!(bytes instanceof Uint8Array))
    new IssueCollector('decodeRecords').fail('bytes', 'a Uint8Array', bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    const step = parseRecord(bytes, view, pos, 0, options.file);
    if (step.kind === 'incomplete') {
      options.onTruncatedTail?.({
        file: options.file,
        offset: pos,
        availableBytes: bytes.length - pos,
        expectedBytes: step.expectedBytes,
      });
      return;
    }
    yield step.record;
    pos = step.next;
  }
}
