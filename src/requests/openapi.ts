// OpenAPI entries of /api/v1/requests (REQ-2..6), from the schemas the routes validate with;
// merged into the /api/v1 document by src/admin/openapi.ts.
import { errorBody, fieldErrorBody } from '../admin/api-schemas.ts';
import { apiErrors, json, body } from '../admin/openapi-parts.ts';
import { decided, decisionBody, requestDetail, requestIdParams, requestList, submitBody, submitted, withdrawn } from './api-schemas.ts';

const ERRORS = apiErrors('Not found, or a request the caller may neither see nor decide (the two look the same)');
const byId = [{ name: 'id', in: 'path', required: true, schema: requestIdParams.properties.id }];

export const requestOpenApiPaths = {
  '/requests': {
    get: { summary: 'My requests: those I made and those about my account, newest first (REQ-2)', responses: { 200: json(requestList, 'The requests'), ...ERRORS } },
    post: {
      summary: 'Submit a request about my own account or my unit: permission add/remove (REQ-2), registration-administrator designation (D-06-10), general-user add/change/delete (D-06-09), one-day password (D-06-11), locked-field change (ACC-4)',
      requestBody: body(submitBody),
      responses: { 201: json(submitted, 'Submitted; pending its first step'), ...ERRORS, 422: json(fieldErrorBody, 'Refused; `errors` names each field and why (e.g. the same request already pending)') },
    },
  },
  '/requests/queue': {
    get: { summary: '待審核列表: pending requests whose current step the caller may decide (REQ-4); never the caller\'s own', responses: { 200: json(requestList, 'The queue'), ...ERRORS } },
  },
  '/requests/{id}': {
    get: {
      summary: '審查詳細資訊: a request with every step and its history (REQ-4, REQ-5); for its requester and subject and the approvers of its steps',
      parameters: byId, responses: { 200: json(requestDetail, 'The request'), ...ERRORS },
    },
  },
  '/requests/{id}/decision': {
    post: {
      summary: '接受申請 / 駁回 with 審查說明 (REQ-4). Exactly one decision per step counts; the last approval carries the request out (or, with an effective date ahead, on that day, REQ-6)',
      parameters: byId, requestBody: body(decisionBody),
      responses: {
        200: json(decided, 'Decided; the request\'s status now'), ...ERRORS,
        403: json(errorBody, 'The caller may see the request but not decide this step (e.g. its own request, or another approver\'s step)'),
        409: json(errorBody, 'Already decided by another approver or withdrawn (request.alreadyDecided), or the approval cannot be carried out (request.exec.*): nothing changed'),
        422: json(errorBody, 'A rejection without a comment, or a comment over 1000 characters'),
      },
    },
  },
  '/requests/{id}/withdraw': {
    post: {
      summary: 'Withdraw my request while it is pending', parameters: byId,
      responses: { 200: json(withdrawn, 'Withdrawn'), ...ERRORS, 409: json(errorBody, 'No longer pending') },
    },
  },
};
