import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const USER_TYPES = ['agent', 'customer'] as const;
export type UserType = (typeof USER_TYPES)[number];
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

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
