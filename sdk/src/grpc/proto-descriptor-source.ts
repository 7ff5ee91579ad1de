/**
 * Reads plugin.proto into a protobuf.js JSON descriptor; used by the generator script and the staleness test.
 * @module
 */
import protobuf from 'protobufjs';
import { protoPath } from './proto.js';

/** The descriptor of the proto file shipped in the SDK. */
export function describeProto(): Record<string, unknown> {
  return protobuf.loadSync(protoPath()).toJSON() as Record<string, unknown>;
}
