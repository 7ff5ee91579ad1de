/**
 * `/api/v1/customer-users`: customers are kernel users of type customer (an admin creates them at
 * `/api/admin/users`); this plugin links each to a company. Agents search them, a customer sees only themselves,
 * admins set the company link.
 * @module
 */
import { type HostClient, route } from '@goatflow/sdk';
import {
  type CustomerUser,
  conflictOnRace,
  customerUserListQuery,
  customerUserPage,
  customerUserParams,
  customerUserPut,
  customerUserSchema,
  invalidField,
  likePattern,
  limitOffset,
  notVisible,
  toPage,
} from '../../api/schemas.js';
import {
  COMPANY_EXISTS,
  GET_CUSTOMER_USER,
  LIST_CUSTOMER_USERS,
  PUT_CUSTOMER_USER,
} from '../../sql/reference.js';

const TAGS = ['customer users'];

type Row = Record<string, unknown>;

function toCustomerUser(row: Row): CustomerUser {
  return {
    id: Number(row.userId),
    login: String(row.login),
    firstName: String(row.firstName),
    lastName: String(row.lastName),
    email: String(row.email),
    active: row.active === true,
    company:
      row.companyId === null || row.companyId === undefined
        ? null
        : { id: Number(row.companyId), name: String(row.companyName) },
    companyAccess: row.companyAccess === true,
    phone: (row.phone as string | null) ?? null,
    comment: (row.comment as string | null) ?? null,
  };
}

async function visibleCustomerUser(host: HostClient, userId: number): Promise<CustomerUser> {
  const { rows } = await host.db.query(GET_CUSTOMER_USER, [userId]);
  if (!rows[0]) throw notVisible(`customer user ${userId}`);
  return toCustomerUser(rows[0]);
}

export const customerUserRoutes = {
  listCustomerUsers: route({
    method: 'GET',
    path: '/api/v1/customer-users',
    auth: 'agent',
    tags: TAGS,
    summary: 'A page of the customer users, by name; q matches login, names and email',
    query: customerUserListQuery,
    response: customerUserPage,
    handler: async ({ query }, { host }) => {
      const { rows } = await host.db.query(LIST_CUSTOMER_USERS, [
        query.q === undefined ? null : likePattern(query.q),
        query.companyId ?? null,
        ...limitOffset(query),
      ]);
      return toPage(rows, query, 'userId', toCustomerUser);
    },
  }),
  getCustomerUser: route({
    method: 'GET',
    path: '/api/v1/customer-users/:userId',
    auth: 'user',
    tags: TAGS,
    summary: 'One customer user (a customer may read only themselves)',
    params: customerUserParams,
    response: customerUserSchema,
    handler: ({ params }, { host }) => visibleCustomerUser(host, params.userId),
  }),
  putCustomerUser: route({
    method: 'PUT',
    path: '/api/v1/customer-users/:userId',
    auth: 'admin',
    tags: TAGS,
    summary: "Sets a customer user's company, company access, phone and comment (omitted ones are cleared)",
    errors: [409],
    params: customerUserParams,
    body: customerUserPut,
    response: customerUserSchema,
    handler: async ({ params, body }, { host }) => {
      await visibleCustomerUser(host, params.userId);
      if (body.companyId === null && body.companyAccess) {
        throw invalidField(
          'companyAccess',
          'company access needs a company: set companyId as well',
          'invalid',
        );
      }
      if (body.companyId !== null) {
        const { rows } = await host.db.query(COMPANY_EXISTS, [body.companyId]);
        if (rows[0]?.found !== true) {
          throw invalidField('companyId', `customer company ${body.companyId} does not exist`);
        }
      }
      await conflictOnRace(() =>
        host.db.transaction([
          {
            sql: PUT_CUSTOMER_USER,
            params: [
              params.userId,
              body.companyId,
              body.companyAccess,
              body.phone ?? null,
              body.comment ?? null,
            ],
            expect: 'one',
          },
        ]),
      );
      return visibleCustomerUser(host, params.userId);
    },
  }),
};
