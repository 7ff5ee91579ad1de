/**
 * `GET /attachments/:id`: an attachment's content, sent by the kernel as a download (`nosniff`, sandboxed), for
 * whoever sees the article it belongs to.
 * @module
 */
import { replyFile, route } from '@goatflow/sdk';
import { idParams, notVisible } from '../../api/schemas.js';
import { GET_ATTACHMENT } from '../../sql/tickets/read.js';

export const attachmentRoutes = {
  downloadAttachment: route({
    method: 'GET',
    path: '/api/v1/attachments/:id',
    auth: 'user',
    tags: ['attachments'],
    summary: 'Downloads an attachment of an article you see',
    description: 'Answers the file itself; a customer never gets one of an internal note.',
    params: idParams,
    produces: ['application/octet-stream'],
    handler: async ({ params }, { host }) => {
      const { rows } = await host.db.query<{ filename: string; contentType: string; contentBase64: string }>(
        GET_ATTACHMENT,
        [params.id],
      );
      const file = rows[0];
      if (!file) throw notVisible(`attachment ${params.id}`);
      return replyFile({
        contentType: file.contentType,
        filename: file.filename,
        data: Buffer.from(file.contentBase64, 'base64'),
      });
    },
  }),
};
