import type { SimClock } from '../apps-script/clock';
import type { AdsApi } from './ads-api';
import { DAY_MS, HISTORY_START, type SimData, type SimMember } from './data';
import { hashString, integerFor, unitFor } from './random';
import { ApiError, offsetPage, rejectUnknown, text } from './request-checks';
import type { RestliValue } from './restli-query';

// LinkedIn's Lead Sync API as its pages and Postman collection show it: lead gen forms
// (`leadForms?q=owner`) and their responses (`leadFormResponses?q=owner`) of an ad account, both
// naming the account in the owner union and paged by start/count. Forms and leads are pure
// functions of the seed, the account and the day, so any run can be recomputed.

/** LinkedIn keeps form responses for 365 days (its Lead Sync Postman collection). */
export const LEAD_RETENTION_DAYS = 365;
/** The most a page of either finder holds: LinkedIn documents none; public clients ask 100. */
const MAX_COUNT = 100;
const LEAD_TYPES = ['SPONSORED', 'EVENT', 'COMPANY', 'ORGANIZATION_PRODUCT'];

type Localized = { localized: Record<string, string> };
interface SimQuestion {
  serial: number;
  name: string;
  text: string;
  predefinedField?: string;
  options?: string[];
  /** The form version that added it. */
  since: number;
}
interface SimForm {
  id: number;
  accountId: number;
  name: string;
  locale: { language: string; country: string };
  versionId: number;
  /** When its latest version was published: responses before it answered version 1. */
  versionAt: number;
  questions: SimQuestion[];
  consents: string[];
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Dev', 'Emma', 'Felix', 'Grace', 'Hiro'];
const LAST_NAMES = ['Silva', 'Okafor', 'Dubois', 'Patel', 'Nowak', 'Berg', 'Lee', 'Tanaka'];
const COMPANIES = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware'];
const TITLES = ['Marketing Manager', 'CFO', 'Data Analyst', 'Head of Sales'];
const COUNTRIES = ['España', 'México', 'Argentina'];
const TOPICS = ['Pricing for 50 seats', 'A demo next week', '=SUM(A1) is my favourite formula'];

const english = (formId: number, accountId: number): SimForm => ({
  id: formId,
  accountId,
  name: 'Demo request',
  locale: { language: 'en', country: 'US' },
  versionId: 2,
  versionAt: HISTORY_START + 800 * DAY_MS,
  questions: [
    { serial: 1, name: 'First name', text: 'First name', predefinedField: 'FIRST_NAME', since: 1 },
    { serial: 2, name: 'Last name', text: 'Last name', predefinedField: 'LAST_NAME', since: 1 },
    { serial: 3, name: 'Email address', text: 'Email address', predefinedField: 'EMAIL', since: 1 },
    { serial: 4, name: 'Company name', text: 'Company name', predefinedField: 'COMPANY_NAME', since: 1 },
    { serial: 5, name: 'Job title', text: 'Job title', predefinedField: 'JOB_TITLE', since: 1 },
    {
      serial: 6,
      name: 'Custom question 0',
      text: 'When do you plan to buy?',
      options: ['Within a month', 'This quarter', 'Just researching'],
      since: 1,
    },
    { serial: 7, name: 'Custom question 1', text: 'What would you like to discuss?', since: 2 },
  ],
  consents: ['Send me product news by email'],
});

const spanish = (formId: number, accountId: number): SimForm => ({
  id: formId,
  accountId,
  name: 'Formulario de contacto',
  locale: { language: 'es', country: 'ES' },
  versionId: 1,
  versionAt: HISTORY_START,
  questions: [
    { serial: 1, name: 'First name', text: 'Nombre', predefinedField: 'FIRST_NAME', since: 1 },
    { serial: 2, name: 'Last name', text: 'Apellidos', predefinedField: 'LAST_NAME', since: 1 },
    {
      serial: 3,
      name: 'Work email',
      text: 'Correo electrónico del trabajo',
      predefinedField: 'WORK_EMAIL',
      since: 1,
    },
    { serial: 4, name: 'Country', text: 'País', predefinedField: 'COUNTRY', since: 1 },
    {
      serial: 5,
      name: 'Custom question 0',
      text: '¿Cuál es tu color favorito?',
      options: ['Rojo', 'Azul'],
      since: 1,
    },
  ],
  consents: [],
});

/** The owners LinkedIn's lead finders take, as a refusal of any other says. */
const OWNER_FORMS = 'owner must be (sponsoredAccount:<urn>) or (organization:<urn>)';

/** As in LinkedIn's examples, a question's id is its place in the form followed by the form's id. */
const questionId = (form: SimForm, question: SimQuestion) => question.serial * 100_000_000 + form.id;

export class LeadsApi {
  constructor(
    private readonly data: SimData,
    private readonly clock: SimClock,
    private readonly ads: AdsApi,
  ) {}

  /** Every ad account has the two forms. */
  formsOf(accountId: number): SimForm[] {
    const base = 7_000_000 + (accountId - 500_000_000) * 10;
    return [english(base, accountId), spanish(base + 1, accountId)];
  }

  private localized(form: SimForm, words: string): Localized {
    return { localized: { [`${form.locale.language}_${form.locale.country}`]: words } };
  }

  private formJson(form: SimForm) {
    return {
      id: form.id,
      name: form.name,
      owner: { sponsoredAccount: `urn:li:sponsoredAccount:${form.accountId}` },
      creationLocale: form.locale,
      versionId: form.versionId,
      state: 'PUBLISHED',
      hiddenFields: [],
      content: {
        questions: form.questions.map((question) => ({
          questionId: questionId(form, question),
          name: question.name,
          question: this.localized(form, question.text),
          responseEditable: true,
          responseRequired: true,
          ...(question.predefinedField ? { predefinedField: question.predefinedField } : {}),
          questionDetails: question.options
            ? {
                multipleChoiceQuestionDetails: {
                  options: question.options.map((option, id) => ({ id, text: this.localized(form, option) })),
                },
              }
            : { textQuestionDetails: { maxResponseLength: 300 } },
        })),
        legalInfo: {
          consents: form.consents.map((consent, id) => ({
            id,
            consent: this.localized(form, consent),
            checkRequired: false,
          })),
        },
      },
    };
  }

  /** The account a finder's `owner=(sponsoredAccount:urn…)` names, checked readable by the member. */
  private owner(query: Map<string, RestliValue>, member: SimMember, leadType?: string): number | null {
    const owner = query.get('owner');
    if (owner === undefined)
      throw new ApiError(400, 'PARAM_INVALID', 'Missing required parameter "owner"', 100);
    const entries = typeof owner === 'object' && !Array.isArray(owner) ? Object.entries(owner) : [];
    const [kind, urn] = entries.length === 1 ? entries[0] : [];
    if (typeof urn !== 'string') throw new ApiError(400, 'PARAM_INVALID', OWNER_FORMS, 100);
    if (kind === 'organization') {
      if (!/^urn:li:organization:\d+$/.test(urn))
        throw new ApiError(400, 'PARAM_INVALID', 'owner.organization must be a urn:li:organization URN', 100);
      if (leadType === 'SPONSORED')
        throw new ApiError(400, 'PARAM_INVALID', 'Lead type SPONSORED needs a sponsoredAccount owner', 100);
      // The simulated organizations collect no organic leads.
      return null;
    }
    const account = /^urn:li:sponsoredAccount:(\d+)$/.exec(urn);
    if (kind !== 'sponsoredAccount' || !account) throw new ApiError(400, 'PARAM_INVALID', OWNER_FORMS, 100);
    if (leadType !== undefined && leadType !== 'SPONSORED')
      throw new ApiError(400, 'PARAM_INVALID', `Lead type ${leadType} needs an organization owner`, 100);
    const accountId = Number(account[1]);
    this.ads.requireAccount(member, accountId);
    return accountId;
  }

  leadForms(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, ['q', 'owner', 'start', 'count', 'fields']);
    if (text(query, 'q') !== 'owner') throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const accountId = this.owner(query, member);
    const forms = accountId === null ? [] : this.formsOf(accountId).map((form) => this.formJson(form));
    return offsetPage(query, forms, MAX_COUNT);
  }

  /** `(start:ms,end:ms)`, either end optional: start inclusive, end exclusive (LinkedIn does not say). */
  private timeRange(query: Map<string, RestliValue>, now: number): { start: number; end: number } {
    const earliest = now - LEAD_RETENTION_DAYS * DAY_MS;
    const range = query.get('submittedAtTimeRange');
    if (range === undefined) return { start: earliest, end: now };
    if (
      typeof range !== 'object' ||
      Array.isArray(range) ||
      Object.keys(range).some((key) => key !== 'start' && key !== 'end')
    )
      throw new ApiError(
        400,
        'PARAM_INVALID',
        'submittedAtTimeRange must be (start:<epoch ms>,end:<epoch ms>)',
        100,
      );
    const bound = (key: 'start' | 'end', fallback: number) => {
      const value = range[key];
      if (value === undefined) return fallback;
      if (typeof value !== 'string' || !/^\d+$/.test(value))
        throw new ApiError(
          400,
          'PARAM_INVALID',
          `submittedAtTimeRange.${key} must be epoch milliseconds`,
          100,
        );
      return Number(value);
    };
    const start = bound('start', earliest);
    const end = bound('end', now);
    if (start >= end)
      throw new ApiError(400, 'PARAM_INVALID', 'submittedAtTimeRange must end after it starts', 100);
    // Responses older than LinkedIn keeps are gone: a start before then is refused, so a client
    // that moves its start up is told apart from one that does not.
    if (start < earliest)
      throw new ApiError(
        400,
        'PARAM_INVALID',
        `Lead form responses are kept for ${LEAD_RETENTION_DAYS} days`,
        100,
      );
    return { start, end: Math.min(end, now) };
  }

  leadFormResponses(query: Map<string, RestliValue>, member: SimMember) {
    rejectUnknown(query, [
      'q',
      'owner',
      'leadType',
      'limitedToTestLeads',
      'submittedAtTimeRange',
      'fields',
      'start',
      'count',
    ]);
    if (text(query, 'q') !== 'owner') throw new ApiError(400, 'PARAM_INVALID', 'Unsupported finder', 100);
    const leadType = query.get('leadType');
    if (leadType === undefined)
      throw new ApiError(400, 'PARAM_INVALID', 'Missing required parameter "leadType"', 100);
    const type = typeof leadType === 'object' && !Array.isArray(leadType) ? leadType.leadType : undefined;
    if (typeof type !== 'string' || Object.keys(leadType).length !== 1 || !LEAD_TYPES.includes(type))
      throw new ApiError(
        400,
        'PARAM_INVALID',
        `leadType must be (leadType:X), X one of ${LEAD_TYPES.join(', ')}`,
        100,
      );
    const testOnly = text(query, 'limitedToTestLeads', false);
    if (testOnly !== undefined && testOnly !== 'true' && testOnly !== 'false')
      throw new ApiError(400, 'PARAM_INVALID', 'limitedToTestLeads must be true or false', 100);
    const accountId = this.owner(query, member, type);
    const range = this.timeRange(query, this.clock.now());
    const responses = accountId === null ? [] : this.responsesOf(accountId, range.start, range.end);
    return offsetPage(
      query,
      responses.filter((response) => testOnly !== 'true' || response.testLead),
      MAX_COUNT,
    );
  }

  /** The account's responses submitted in [start, end), oldest first. */
  responsesOf(accountId: number, start: number, end: number) {
    const campaigns = [...this.data.campaigns.values()].filter(
      (campaign) => campaign.accountId === accountId,
    );
    const creatives = [...this.data.creatives.values()];
    const responses = [];
    for (const form of this.formsOf(accountId)) {
      for (let day = Math.floor(start / DAY_MS); day * DAY_MS < end; day++) {
        const count = integerFor(this.data.seed, `leads:${form.id}:${day}`, 0, 2);
        for (let n = 0; n < count; n++) {
          const key = `${form.id}:${day}:${n}`;
          const submittedAt = day * DAY_MS + integerFor(this.data.seed, `lead-at:${key}`, 0, 86_399) * 1000;
          if (submittedAt < start || submittedAt >= end || submittedAt < HISTORY_START) continue;
          const campaign =
            campaigns[integerFor(this.data.seed, `lead-campaign:${key}`, 0, campaigns.length - 1)];
          const creative = creatives.find((candidate) => candidate.campaignId === campaign.id);
          responses.push(this.responseJson(form, key, submittedAt, campaign.id, creative?.id));
        }
      }
    }
    return responses.sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : 1));
  }

  private responseJson(
    form: SimForm,
    key: string,
    submittedAt: number,
    campaignId: number,
    creativeId?: number,
  ) {
    const pick = (list: string[], what: string) =>
      list[integerFor(this.data.seed, `${what}:${key}`, 0, list.length - 1)];
    const first = pick(FIRST_NAMES, 'first');
    const last = pick(LAST_NAMES, 'last');
    const company = pick(COMPANIES, 'company');
    const version = submittedAt < form.versionAt ? 1 : form.versionId;
    const texts: Record<string, string> = {
      FIRST_NAME: first,
      LAST_NAME: last,
      EMAIL: `${first}.${last}@example.com`.toLowerCase(),
      WORK_EMAIL: `${first[0]}${last}@${company}.example`.toLowerCase(),
      COMPANY_NAME: company,
      JOB_TITLE: pick(TITLES, 'title'),
      COUNTRY: pick(COUNTRIES, 'country'),
    };
    const hex = (part: string, length: number) =>
      hashString(`${key}:${part}`).toString(16).padStart(8, '0').slice(0, length);
    return {
      id: `${hex('a', 8)}-${hex('b', 4)}-${hex('c', 4)}-${hex('d', 4)}-${hex('e', 8)}${hex('f', 4)}-${version}`,
      owner: { sponsoredAccount: `urn:li:sponsoredAccount:${form.accountId}` },
      submitter: `urn:li:person:lead${hashString(key).toString(36)}`,
      leadType: 'SPONSORED',
      leadMetadata: { sponsoredLeadMetadata: { campaign: `urn:li:sponsoredCampaign:${campaignId}` } },
      versionedLeadGenFormUrn: `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:${form.id},${version})`,
      submittedAt,
      testLead: unitFor(this.data.seed, `test-lead:${key}`) < 0.05,
      ...(creativeId
        ? { associatedEntity: { associatedCreative: `urn:li:sponsoredCreative:${creativeId}` } }
        : {}),
      formResponse: {
        answers: form.questions
          .filter((question) => question.since <= version)
          .map((question) => ({
            questionId: questionId(form, question),
            answerDetails: question.options
              ? {
                  multipleChoiceAnswer: {
                    options: [integerFor(this.data.seed, `choice:${key}`, 0, question.options.length - 1)],
                  },
                }
              : {
                  textQuestionAnswer: {
                    answer: question.predefinedField
                      ? texts[question.predefinedField]
                      : pick(TOPICS, 'topic'),
                  },
                },
          })),
        consentResponses: form.consents.map((_, consentId) => ({
          consentId,
          accepted: unitFor(this.data.seed, `consent:${key}:${consentId}`) < 0.6,
        })),
      },
    };
  }
}
