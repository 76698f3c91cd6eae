// OpenAPI entries of the announcement API (SSO-5), from the schemas the routes validate with;
// merged into the /api/v1 document by src/admin/openapi.ts.
import { fieldErrorBody } from '../admin/api-schemas.ts';
import { apiErrors, json, body } from '../admin/openapi-parts.ts';
import { announcement, announcementCreateBody, announcementIdParams, announcementList, announcementListQuery, announcementPatchBody } from './api-schemas.ts';

const ERRORS = apiErrors('Not found, or an announcement the caller may not manage (the two look the same); also when the caller may manage none');
const query = Object.entries(announcementListQuery.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
const byId = [{ name: 'id', in: 'path', required: true, schema: announcementIdParams.properties.id }];
const refused = { 422: json(fieldErrorBody, 'Refused; `errors` names each field and why (e.g. a system the caller does not administer)') };

export const announcementOpenApiPaths = {
  '/announcements': {
    get: {
      summary: 'Announcements the caller may manage, newest first (SSO-5): platform-wide ones for the central authority, a system\'s for administrators whose categories cover it',
      parameters: query,
      responses: { 200: json(announcementList, 'One page and the total'), ...ERRORS },
    },
    post: {
      summary: 'Publish an announcement (guest or member; platform-wide or for one system the caller administers)',
      requestBody: body(announcementCreateBody),
      responses: { 201: json(announcement, 'Published'), ...ERRORS, ...refused },
    },
  },
  '/announcements/{id}': {
    get: { summary: 'One announcement the caller may manage', parameters: byId, responses: { 200: json(announcement, 'The announcement'), ...ERRORS } },
    patch: {
      summary: 'Edit an announcement; fields left out keep their value; moving it to another system needs the right to manage both',
      parameters: byId, requestBody: body(announcementPatchBody),
      responses: { 200: json(announcement, 'Edited'), ...ERRORS, ...refused },
    },
    delete: { summary: 'Delete an announcement (hidden everywhere; the audit trail keeps the record)', parameters: byId, responses: { 204: { description: 'Deleted' }, ...ERRORS } },
  },
};
