import {
  formOf,
  type LeadForm,
  type LeadResponse,
  leadRows,
  submittedRange,
} from '../../src/server/connectors/leads';

// The row shaping of lead form responses, over answers shaped as LinkedIn's Lead Sync Postman
// collection shows them (a Spanish form with a multiple-choice question and a consent).

const DAY = 86_400_000;

const form: LeadForm = {
  id: 7234246,
  name: 'Form with written spanish',
  content: {
    questions: [
      {
        questionId: 307234246,
        name: 'Email address',
        question: { localized: { es_ES: 'Correo electrónico' } },
        predefinedField: 'EMAIL',
      },
      {
        questionId: 707234246,
        name: 'Custom question 0',
        question: { localized: { es_ES: 'Cuál es tu color favorito' } },
        questionDetails: {
          multipleChoiceQuestionDetails: {
            options: [
              { id: 0, text: { localized: { es_ES: 'Rojo' } } },
              { id: 1, text: { localized: { es_ES: 'Azul' } } },
            ],
          },
        },
      },
      { questionId: 807234246, name: 'Custom question 1' },
    ],
    legalInfo: { consents: [{ id: 0, consent: { localized: { es_ES: 'marque mi casilla' } } }] },
  },
};

const response: LeadResponse = {
  id: '249592fc-d272-44ba-a7db-c2bdce579507-6',
  submittedAt: 1689894599288,
  owner: { sponsoredAccount: 'urn:li:sponsoredAccount:1234567' },
  versionedLeadGenFormUrn: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)',
  leadMetadata: { sponsoredLeadMetadata: { campaign: 'urn:li:sponsoredCampaign:198356826' } },
  associatedEntity: { associatedCreative: 'urn:li:sponsoredCreative:241257736' },
  testLead: true,
  formResponse: {
    answers: [
      { questionId: 307234246, answerDetails: { textQuestionAnswer: { answer: 'kevjohonson@email.com' } } },
      { questionId: 707234246, answerDetails: { multipleChoiceAnswer: { options: [1, 0] } } },
      { questionId: 807234246, answerDetails: { textQuestionAnswer: { answer: 'Mexico' } } },
      { questionId: 907234246, answerDetails: { textQuestionAnswer: { answer: 'dropped later' } } },
    ],
    consentResponses: [{ consentId: 0, accepted: false }],
  },
};

describe('lead rows', () => {
  it('gives a row per answer and consent, naming each question from its form', () => {
    const rows = leadRows([response], [form]);
    const common = {
      submitted_at: '2023-07-20T23:09:59.288Z',
      response_id: '249592fc-d272-44ba-a7db-c2bdce579507-6',
      account_id: '1234567',
      form_id: '7234246',
      form_name: 'Form with written spanish',
      form_version: 1,
      campaign_id: '198356826',
      creative_id: '241257736',
      test_lead: true,
    };
    expect(rows).toEqual([
      {
        ...common,
        question_id: '307234246',
        predefined_field: 'EMAIL',
        question: 'Correo electrónico',
        answer: 'kevjohonson@email.com',
      },
      {
        ...common,
        question_id: '707234246',
        predefined_field: undefined,
        question: 'Cuál es tu color favorito',
        answer: 'Azul, Rojo',
      },
      // Without the form's words, the question's name; a question the form no longer has stays unnamed.
      {
        ...common,
        question_id: '807234246',
        predefined_field: undefined,
        question: 'Custom question 1',
        answer: 'Mexico',
      },
      {
        ...common,
        question_id: '907234246',
        predefined_field: undefined,
        question: undefined,
        answer: 'dropped later',
      },
      {
        ...common,
        question_id: 'consent-0',
        predefined_field: 'CONSENT',
        question: 'marque mi casilla',
        answer: 'Not accepted',
      },
    ]);
  });

  it('keeps the answers of a response whose form LinkedIn did not list, with their ids', () => {
    const [row] = leadRows([response], []);
    expect(row).toMatchObject({
      form_id: '7234246',
      form_name: undefined,
      question_id: '307234246',
      question: undefined,
    });
    expect(leadRows([{ ...response, formResponse: undefined, testLead: undefined }], [form])).toEqual([]);
  });

  it('reads the form and version out of a versioned form URN', () => {
    expect(formOf('urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,12)')).toEqual({
      id: '7234246',
      version: 12,
    });
    expect(formOf(undefined)).toEqual({ id: undefined, version: undefined });
  });
});

describe('the submission times a run asks', () => {
  const now = Date.UTC(2026, 10, 20, 9, 30) + 0.25;

  it('reads its days through now, in whole milliseconds', () => {
    expect(submittedRange({ startDate: '2026-11-18', endDate: '2026-11-20' }, now)).toEqual({
      start: Date.UTC(2026, 10, 18),
      end: Date.UTC(2026, 10, 20, 9, 30),
      note: null,
    });
    expect(submittedRange({ startDate: '2026-11-01', endDate: '2026-11-10' }, now).end).toBe(
      Date.UTC(2026, 10, 11),
    );
  });

  it('moves a start older than LinkedIn keeps responses up to the first whole day it keeps, and says so', () => {
    const range = submittedRange({ startDate: '2025-01-01', endDate: '2026-11-19' }, now);
    expect(range.start).toBe(Date.UTC(2025, 10, 21));
    expect(range.start - (now - 365 * DAY)).toBeGreaterThanOrEqual(0);
    expect(range.note).toBe(
      'LinkedIn keeps lead form responses for 12 months: rows start on 2025-11-21, not 2025-01-01.',
    );
  });

  it('says so when none of the range is kept, instead of where rows start', () => {
    const range = submittedRange({ startDate: '2025-01-01', endDate: '2025-03-31' }, now);
    expect(range.start).toBeGreaterThanOrEqual(range.end);
    expect(range.note).toBe(
      'LinkedIn keeps lead form responses for 12 months, from 2025-11-21: none of 2025-01-01 to 2025-03-31 is kept.',
    );
  });
});
