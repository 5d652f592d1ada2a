/**
 * @module conversations (test support)
 * Conversations and messages for the acceptance suite: create one, send to it, read its messages, and
 * wait for an answer that is still being generated.
 */
import type { Conversation, Message, SendMessageResult } from '@zekka/core';
import type { HttpClient } from './http-client.ts';

/** Creates a conversation in `projectId` over HTTP as `token`'s user. */
export async function createConversation(
  http: HttpClient,
  token: string,
  projectId: string,
  body: { title?: string; model?: string; systemPrompt?: string } = {},
): Promise<Conversation> {
  const res = await http.post<Conversation>('/conversations', { token, body: { projectId, ...body } });
  if (res.status !== 201) throw new Error(`create conversation failed: ${res.status} ${res.text}`);
  return res.data;
}

/** Sends `content` and waits for the answer (row 40); fails unless it answers 201. */
export async function sendMessage(
  http: HttpClient,
  token: string,
  conversationId: string,
  content: string,
  extra: { model?: string } = {},
): Promise<SendMessageResult> {
  const res = await http.post<SendMessageResult>(`/conversations/${conversationId}/messages`, {
    token,
    body: { content, ...extra },
  });
  if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
  return res.data;
}

/** Every message of the conversation (up to 200), oldest first. */
export async function listMessages(http: HttpClient, token: string, conversationId: string) {
  const res = await http.get<Message[]>(`/conversations/${conversationId}/messages`, {
    token,
    query: { limit: 200 },
  });
  if (res.status !== 200) throw new Error(`list messages failed: ${res.status} ${res.text}`);
  return res.data;
}

/** Polls the messages list until message `id` is no longer `streaming`; fails after `timeoutMs`. */
export async function waitForFinished(
  http: HttpClient,
  token: string,
  conversationId: string,
  id: string,
  timeoutMs = 5_000,
): Promise<Message> {
  const deadline = performance.now() + timeoutMs;
  while (true) {
    const message = (await listMessages(http, token, conversationId)).find((m) => m.id === id);
    if (message && message.status !== 'streaming') return message;
    if (performance.now() > deadline) throw new Error(`message ${id} still ${message?.status ?? 'missing'}`);
    await Bun.sleep(10);
  }
}
