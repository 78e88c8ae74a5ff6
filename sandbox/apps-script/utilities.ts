import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Execution } from './execution';
import { SCOPES } from './scopes';
import { wallClock, zoneOffsetMs } from './time-zone';

/** Apps Script returns bytes as Java-style signed values (-128..127). */
const toSignedBytes = (buffer: Buffer): number[] =>
  [...buffer].map((byte) => (byte > 127 ? byte - 256 : byte));
const fromBytesOrText = (value: string | number[]): Buffer =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.map((byte) => byte & 0xff));

const DIGESTS: Record<string, string> = {
  MD2: 'md2',
  MD5: 'md5',
  SHA_1: 'sha1',
  SHA_256: 'sha256',
  SHA_384: 'sha384',
  SHA_512: 'sha512',
};

class SimBlob {
  constructor(
    private readonly bytes: Buffer,
    private readonly contentType: string | null,
    private name: string | null,
  ) {}
  getBytes(): number[] {
    return toSignedBytes(this.bytes);
  }
  getDataAsString(): string {
    return this.bytes.toString('utf8');
  }
  getContentType(): string | null {
    return this.contentType;
  }
  getName(): string | null {
    return this.name;
  }
  setName(name: string): this {
    this.name = name;
    return this;
  }
}

/** RFC 822 offset such as +0100 or -0500 of `timeZone` at `date`. */
function zoneOffset(date: Date, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(timeZone, date.getTime()) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}${String(absolute % 60).padStart(2, '0')}`;
}

/** Java SimpleDateFormat, the subset scripts use, rendered in the given time zone. */
export function formatDate(date: Date, timeZone: string, pattern: string): string {
  const clock = wallClock(timeZone, date.getTime());
  const two = (value: number) => String(value).padStart(2, '0');
  const parts = {
    year: String(clock.year),
    month: two(clock.month),
    day: two(clock.day),
    hour: two(clock.hour),
    minute: two(clock.minute),
    second: two(clock.second),
    weekday: clock.weekday,
  };
  const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const tokens: Record<string, string> = {
    yyyy: parts.year,
    yy: parts.year.slice(2),
    MMM: monthNames[Number(parts.month) - 1],
    MM: parts.month,
    M: String(Number(parts.month)),
    dd: parts.day,
    d: String(Number(parts.day)),
    HH: parts.hour,
    H: String(Number(parts.hour)),
    mm: parts.minute,
    ss: parts.second,
    SSS: String(date.getUTCMilliseconds()).padStart(3, '0'),
    EEE: parts.weekday,
    Z: zoneOffset(date, timeZone),
  };
  return pattern.replace(/'([^']*)'|yyyy|yy|MMM|MM|M|dd|d|HH|H|mm|ss|SSS|EEE|Z/g, (token, literal) =>
    literal !== undefined ? literal : tokens[token],
  );
}

export class SimUtilities {
  readonly DigestAlgorithm = Object.fromEntries(Object.keys(DIGESTS).map((name) => [name, name]));
  readonly Charset = { UTF_8: 'UTF_8', US_ASCII: 'US_ASCII' };

  constructor(private readonly execution: Execution) {}

  sleep(milliseconds: number): void {
    this.execution.checkDeadline();
    this.execution.clock.advance(milliseconds);
    this.execution.checkDeadline();
  }
  formatDate(date: Date, timeZone: string, format: string): string {
    return formatDate(date, timeZone, format);
  }
  getUuid(): string {
    return randomUUID();
  }
  base64Encode(data: string | number[]): string {
    return fromBytesOrText(data).toString('base64');
  }
  base64EncodeWebSafe(data: string | number[]): string {
    return fromBytesOrText(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }
  base64Decode(encoded: string): number[] {
    return toSignedBytes(Buffer.from(encoded, 'base64'));
  }
  base64DecodeWebSafe(encoded: string): number[] {
    return toSignedBytes(Buffer.from(encoded, 'base64url'));
  }
  newBlob(data: string | number[], contentType?: string, name?: string): SimBlob {
    return new SimBlob(fromBytesOrText(data), contentType ?? null, name ?? null);
  }
  computeDigest(algorithm: string, value: string | number[]): number[] {
    const name = DIGESTS[algorithm];
    if (!name) throw new Error(`Unknown digest algorithm ${algorithm}`);
    return toSignedBytes(createHash(name).update(fromBytesOrText(value)).digest());
  }
  computeHmacSha256Signature(value: string | number[], key: string | number[]): number[] {
    return toSignedBytes(createHmac('sha256', fromBytesOrText(key)).update(fromBytesOrText(value)).digest());
  }
}

export interface SentMail {
  /** The user whose script sent it: the daily quota is each user's own. */
  from: string;
  to: string;
  subject: string;
  body: string;
  htmlBody?: string;
  at: number;
}

/** Consumer accounts may send 100 emails a day, each user apart (Apps Script's quotas page, per user). */
const DAILY_MAIL_QUOTA = 100;

export class SimMailApp {
  constructor(
    private readonly outbox: SentMail[],
    private readonly execution: Execution,
  ) {}
  sendEmail(
    recipientOrMessage: string | { to: string; subject: string; body?: string; htmlBody?: string },
    subject?: string,
    body?: string,
    options?: { htmlBody?: string },
  ): void {
    this.execution.requireScope('MailApp.sendEmail', SCOPES.sendMail);
    if (this.getRemainingDailyQuota() <= 0)
      throw new Error('Service invoked too many times for one day: email.');
    const message =
      typeof recipientOrMessage === 'string'
        ? { to: recipientOrMessage, subject: subject ?? '', body: body ?? '', htmlBody: options?.htmlBody }
        : { ...recipientOrMessage, body: recipientOrMessage.body ?? '' };
    if (!message.to) throw new Error('Invalid argument: recipient');
    this.outbox.push({ ...message, from: this.execution.user, at: this.execution.clock.now() });
  }
  getRemainingDailyQuota(): number {
    this.execution.requireScope('MailApp.getRemainingDailyQuota', SCOPES.sendMail);
    const dayStart = Math.floor(this.execution.clock.now() / 86_400_000) * 86_400_000;
    const sent = this.outbox.filter((mail) => mail.from === this.execution.user && mail.at >= dayStart);
    return DAILY_MAIL_QUOTA - sent.length;
  }
}

/**
 * What `User.getEmail()` does when the user did not grant "See your primary Google Account email
 * address" (userinfo.email): its reference says only that it "returns a blank string" when
 * security policies withhold the address, and lists no scope, so tests run both readings.
 */
export type EmailWithoutScope = 'blank' | 'throws';

export class SimSession {
  constructor(
    private readonly user: string,
    private readonly timeZone: string,
    /** "If security policies do not allow access to the user's email address, this method returns a blank string." */
    private readonly emailHidden = false,
    private readonly execution?: Execution,
    private readonly emailWithoutScope: EmailWithoutScope = 'blank',
  ) {}
  private email(): string {
    if (this.emailHidden) return '';
    if (this.execution && !this.execution.granted(SCOPES.userEmail)) {
      if (this.emailWithoutScope === 'blank') return '';
      this.execution.requireScope('User.getEmail', SCOPES.userEmail);
    }
    return this.user;
  }
  getActiveUser(): { getEmail(): string } {
    return { getEmail: () => this.email() };
  }
  getEffectiveUser(): { getEmail(): string } {
    return { getEmail: () => this.email() };
  }
  getScriptTimeZone(): string {
    return this.timeZone;
  }
  getTemporaryActiveUserKey(): string {
    return createHash('sha256').update(this.user).digest('base64url').slice(0, 22);
  }
}

export interface LogLine {
  user: string;
  level: string;
  text: string;
}

export function makeLogger(lines: LogLine[], user: string) {
  const write =
    (level: string) =>
    (...values: unknown[]) => {
      lines.push({
        user,
        level,
        text: values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' '),
      });
    };
  return {
    Logger: { log: write('log') },
    console: { log: write('log'), info: write('info'), warn: write('warn'), error: write('error') },
  };
}
