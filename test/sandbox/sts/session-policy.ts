// Session policies and session tags: AWS compresses them into a packed binary with its own size
// limit and answers PackedPolicySize as a percentage of it. The sandbox approximates the packing
// with deflate; what matters to clients is that small inputs fit, huge ones fail, and the
// element appears exactly when a policy, policy ARNs or tags were passed.
import { deflateRawSync } from 'node:zlib';
import { StsError } from './protocol';
import type { Tag } from './validate';

const PACKED_LIMIT_BYTES = 2048;

/** Returns PackedPolicySize, or undefined when nothing was passed to pack. */
export function packSessionPolicy(policy: string | undefined, policyArns: string[], tags: Tag[]): number | undefined {
  if (policy === undefined && policyArns.length === 0 && tags.length === 0) return undefined;
  let minified = '';
  if (policy !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(policy);
    } catch {
      throw new StsError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
    }
    if (typeof doc !== 'object' || doc === null || !('Statement' in doc)) {
      throw new StsError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
    }
    minified = JSON.stringify(doc);
  }
  const packed = deflateRawSync(Buffer.from(JSON.stringify([minified, policyArns, tags]))).length;
  const percent = Math.ceil((packed * 100) / PACKED_LIMIT_BYTES);
  if (percent > 100) {
    throw new StsError('PackedPolicyTooLarge', `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`, 400);
  }
  return percent;
}
