// The real server (scripts/start.ts) plus a way for a test to act as an agent *inside the server's
// process*: the test sends `{ id, reply | status | typing }` over the IPC channel and this script calls the
// same server functions the staff console calls (replyAsAgent, setTicketStatus, publishEphemeral), so the live event
// reaches the streams through the server's own event bus. Nothing here is reachable over HTTP.
await import('../../scripts/serve.ts');
const { getDb } = await import('../../src/server/db/client.ts');
const { replyAsAgent, setTicketStatus } = await import('../../src/server/tickets/workflow.ts');
const { publishEphemeral } = await import('../../src/server/tickets/live-events.ts');

export type AgentCommand =
  | { id: number; reply: { agentId: string; ticketId: string; body: string; internal?: boolean; origin: string } }
  | { id: number; status: { agentId: string; ticketId: string; status: string } }
  | { id: number; typing: { ticketId: string; name: string } };

process.on('message', async (command: AgentCommand) => {
  try {
    let result: unknown = null;
    if ('reply' in command) {
      const r = command.reply;
      result = await replyAsAgent(await getDb(), { id: r.agentId, role: 'agent' }, r.ticketId, r.body, { internal: r.internal, origin: r.origin });
    } else if ('status' in command) {
      const c = command.status;
      result = await setTicketStatus(await getDb(), { id: c.agentId, role: 'agent' }, c.ticketId, c.status);
    } else {
      // S2 / T3: what the console publishes while an agent types (never stored).
      await publishEphemeral(command.typing.ticketId, ['customer'], { type: 'typing', data: { who: 'agent', name: command.typing.name } });
    }
    process.send?.({ id: command.id, ok: true, result });
  } catch (error) {
    process.send?.({ id: command.id, ok: false, error: (error as Error).message });
  }
});
