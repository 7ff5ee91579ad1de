/**
 * `/api/v1/customer-companies`: the companies customers belong to; agents read them, admins create and change
 * them.
 * @module
 */
import { type HostClient, reply, route } from '@goatflow/sdk';
import {
  type CustomerCompany,
  customerCompanyCreate,
  customerCompanyListQuery,
  customerCompanyPage,
  customerCompanySchema,
  customerCompanyUpdate,
  idParams,
  likePattern,
  limitOffset,
  notVisible,
  taken,
  toPage,
  validParam,
} from '../../api/schemas.js';
import {
  COMPANY_WRITE_CHECK,
  GET_CUSTOMER_COMPANY,
  INSERT_CUSTOMER_COMPANY,
  LIST_CUSTOMER_COMPANIES,
  UPDATE_CUSTOMER_COMPANY,
} from '../../sql/reference.js';
import { conflictOnNameRace } from './name-taken.js';

const TAGS = ['customer companies'];

type Row = Record<string, unknown>;

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

function toCompany(row: Row): CustomerCompany {
  return {
    id: Number(row.id),
    name: String(row.name),
    street: text(row.street),
    city: text(row.city),
    country: text(row.country),
    url: text(row.url),
    comment: text(row.comment),
    valid: row.valid === true,
    createdAt: String(row.createdAt),
    changedAt: String(row.changedAt),
  };
}

async function visibleCompany(host: HostClient, id: number): Promise<CustomerCompany> {
  const { rows } = await host.db.query(GET_CUSTOMER_COMPANY, [id]);
  if (!rows[0]) throw notVisible(`customer company ${id}`);
  return toCompany(rows[0]);
}

/** A 404 for a company that is not there, a 409 for a name another company has. */
async function checkCompanyWrite(host: HostClient, name: string | undefined, self: number | null) {
  const { rows } = await host.db.query(COMPANY_WRITE_CHECK, [name ?? null, self]);
  const check = rows[0] as { found: boolean; nameTaken: boolean };
  if (self !== null && !check.found) throw notVisible(`customer company ${self}`);
  if (name !== undefined && check.nameTaken) throw taken('name', `a company named "${name}" exists`);
}

export const customerCompanyRoutes = {
  listCustomerCompanies: route({
    method: 'GET',
    path: '/api/v1/customer-companies',
    auth: 'agent',
    tags: TAGS,
    summary: 'A page of the customer companies, by name',
    query: customerCompanyListQuery,
    response: customerCompanyPage,
    handler: async ({ query }, { host }) => {
      const { rows } = await host.db.query(LIST_CUSTOMER_COMPANIES, [
        query.q === undefined ? null : likePattern(query.q),
        validParam(query.valid),
        ...limitOffset(query),
      ]);
      return toPage(rows, query, 'id', toCompany);
    },
  }),
  getCustomerCompany: route({
    method: 'GET',
    path: '/api/v1/customer-companies/:id',
    auth: 'agent',
    tags: TAGS,
    summary: 'One customer company',
    params: idParams,
    response: customerCompanySchema,
    handler: ({ params }, { host }) => visibleCompany(host, params.id),
  }),
  createCustomerCompany: route({
    method: 'POST',
    path: '/api/v1/customer-companies',
    auth: 'admin',
    tags: TAGS,
    summary: 'Creates a customer company',
    status: 201,
    errors: [409],
    body: customerCompanyCreate,
    response: customerCompanySchema,
    handler: async ({ body }, { host }) => {
      await checkCompanyWrite(host, body.name, null);
      const { results } = await conflictOnNameRace(
        () =>
          host.db.transaction([
            {
              sql: INSERT_CUSTOMER_COMPANY,
              params: [
                body.name,
                body.street ?? null,
                body.city ?? null,
                body.country ?? null,
                body.url ?? null,
                body.comment ?? null,
                body.valid ?? null,
              ],
              expect: 'one',
            },
          ]),
        'customer_companies_name',
        `a company named "${body.name}" exists`,
      );
      return reply(201, await visibleCompany(host, Number(results[0]!.rows[0]!.id)));
    },
  }),
  updateCustomerCompany: route({
    method: 'PATCH',
    path: '/api/v1/customer-companies/:id',
    auth: 'admin',
    tags: TAGS,
    summary: 'Changes a customer company',
    errors: [409],
    params: idParams,
    body: customerCompanyUpdate,
    response: customerCompanySchema,
    handler: async ({ params, body }, { host }) => {
      await checkCompanyWrite(host, body.name, params.id);
      await conflictOnNameRace(
        () =>
          host.db.transaction([
            { sql: UPDATE_CUSTOMER_COMPANY, params: [params.id, JSON.stringify(body)], expect: 'one' },
          ]),
        'customer_companies_name',
        `a company named "${body.name}" exists`,
      );
      return visibleCompany(host, params.id);
    },
  }),
};
