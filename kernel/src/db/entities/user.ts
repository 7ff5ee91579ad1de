import type { Locale, UserType } from '@goatflow/sdk';
import { defineEntity, type InferEntity } from '@mikro-orm/core';

export { LOCALES, type Locale, USER_TYPES, type UserType } from '@goatflow/sdk';

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  schema: 'kernel',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    login: p.text().unique(),
    type: p.text().$type<UserType>(),
    firstName: p.text(),
    lastName: p.text(),
    email: p.text(),
    passwordHash: p.text().hidden(),
    locale: p.text().$type<Locale>(),
    active: p.boolean(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
});
export type User = InferEntity<typeof UserEntity>;
