import { type Kysely, sql } from 'kysely';

/**
 * The event store's own schema, `eventstore`, apart from the read models in `public`.
 *
 * Global positions: `xid << 20 | n`, where xid is the appending transaction's id (taken only after the stream lock is held)
 * and n counts events within that transaction. So `$all` order is transaction order, and every event below
 * `pg_snapshot_xmin(pg_current_snapshot()) << 20` belongs to a finished transaction: a reader that never reads past that
 * bound can never skip an event that commits late. See docs/architecture.md ("Global order without gaps").
 */
export const EVENTSTORE_SCHEMA_VERSION = 1;

/**
 * Sets `v_seq`, the position of the transaction's next event, once the stream lock is held. The transaction's first append
 * (it has no id yet: advisory locks and reads take none) starts at `xid << 20`, with nothing to look up; a later one in the
 * same transaction continues after the largest position the transaction has written (one probe of the primary key). A
 * rolled-back savepoint's rows are not seen, so their positions are given back. Until 2026-12 the next position was kept in
 * a transaction-local setting, written on every append (~25 µs of an append's PostgreSQL CPU, `pnpm bench:append`).
 */
const NEXT_POSITION = sql.raw(`
      if pg_current_xact_id_if_assigned() is null then
        v_seq := (pg_current_xact_id()::text::bigint) << 20;
      else
        v_base := (pg_current_xact_id()::text::bigint) << 20;
        select coalesce(max(ev.global_position) + 1, v_base) into v_seq from eventstore.events ev
          where ev.global_position >= v_base and ev.global_position < v_base + 1048576;
      end if;`);

/**
 * Whether the expected version refuses an append: `expected` as the functions take it (>= 0 exact version, -1 no_stream,
 * -2 any, -3 stream_exists) against `current`, the stream's last version (-1 for none). One definition for
 * eventstore.append and eventstore.append_one, so that the two cannot come to answer differently; written into each
 * function as a plain expression, as the link is (see linkHash), not as a SQL function each would call.
 */
const versionRefused = (expected: string, current: string) =>
  sql.raw(`((${expected} = -1 and ${current} <> -1) or (${expected} = -3 and ${current} = -1) or (${expected} >= 0 and ${current} <> ${expected}))`);

/**
 * A recording time (`timestamptz`, already truncated to milliseconds) as the chain link binds it: what JavaScript's
 * `Date.toISOString()` gives (hash-chain.ts, linkHash), UTC with milliseconds and a `Z`.
 */
const linkTimeText = (timestamp: string): string => `to_char(${timestamp} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Link version 2 of an event (hash-chain.ts, linkHash, is the reference): sha256 of `2|prev|stream|version|content|time`,
 * hex, with a first event's missing `prev` as ''. Each argument is a PL/pgSQL expression; `at` is the time's text
 * (`linkTimeText`). One definition for both append functions, so that neither can link differently from the other or from
 * the auditor; a plain expression, not a SQL function, so that computing the links costs no function call per event
 * (measured slower).
 */
const linkHash = (link: { prev: string; stream: string; version: string; content: string; at: string }) =>
  sql.raw(
    `encode(sha256(convert_to('2|' || coalesce(${link.prev}, '') || '|' || ${link.stream} || '|' || (${link.version}) || '|' || ${link.content} || '|' || ${link.at}, 'UTF8')), 'hex')`,
  );

/**
 * One event as plain parameters (see migrateEventStore): `name`'s function, with or without the idempotency arbiter on its
 * insert. One body for both, so that they cannot come to answer differently.
 */
const appendOneFunction = (name: string, arbiter: boolean) => sql`
    create or replace function eventstore.${sql.raw(name)}(p_stream text, p_expected integer, p_id uuid, p_type text, p_data jsonb, p_metadata jsonb, p_content text,
      out status text, out stream_version integer, out global_position text, out event_id uuid, out metadata jsonb, out prev_hash text, out hash text, out recorded_ms float8)
    language plpgsql as $fn$
    declare
      v_current integer;
      v_prev text;
      v_stream text;
      v_base bigint;
      v_seq bigint;
      v_ignored text;
      v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
    begin
      v_ignored := pg_advisory_xact_lock(hashtextextended(p_stream, 0))::text;
      select ev.stream_version, ev.metadata->>'hash' into v_current, v_prev
        from eventstore.events ev where ev.stream_id = p_stream order by ev.stream_version desc limit 1;
      v_current := coalesce(v_current, -1);
      if not ${versionRefused('p_expected', 'v_current')} then
${NEXT_POSITION}
        -- Link version 2 (hash-chain.ts, linkHash): the same fragment as eventstore.append's.
        hash := ${linkHash({ prev: 'v_prev', stream: 'p_stream', version: 'v_current + 1', content: 'p_content', at: linkTimeText('v_now') })};
        insert into eventstore.events (global_position, stream_id, stream_version, event_id, type, data, metadata, recorded_at)
          values (v_seq, p_stream, v_current + 1, p_id, p_type, p_data,
                  p_metadata || jsonb_build_object('prevHash', v_prev, 'hash', hash, 'hashVersion', 2), v_now)${sql.raw(arbiter ? '\n          on conflict on constraint events_event_id_key do nothing' : '')};
        if found then
          status := 'event';
          stream_version := v_current + 1;
          global_position := v_seq::text;
          event_id := p_id;
          prev_hash := v_prev;
          recorded_ms := floor(extract(epoch from v_now) * 1000);
          return;
        end if;
        hash := null;
      end if;
      -- A repeated id (idempotent in this stream, a conflict in another), checked before a refused version as
      -- eventstore.append does: a retry of an append that landed answers with what it stored.
      select ev.stream_id, ev.stream_version, ev.global_position::text, ev.metadata, floor(extract(epoch from ev.recorded_at) * 1000)::float8
        into v_stream, stream_version, global_position, metadata, recorded_ms
        from eventstore.events ev where ev.event_id = p_id;
      if found then
        if v_stream = p_stream then
          status := 'duplicate';
          event_id := p_id;
          prev_hash := metadata->>'prevHash';
          hash := metadata->>'hash';
        else
          status := 'conflict';
          stream_version := null;
          global_position := null;
          metadata := null;
          recorded_ms := null;
        end if;
        return;
      end if;
      status := 'wrong_expected_version';
      stream_version := v_current;
    end
    $fn$`;

export const migrateEventStore = async (db: Kysely<unknown>): Promise<void> => {
  await sql`create schema if not exists eventstore`.execute(db);
  await sql`
    create table if not exists eventstore.events (
      global_position bigint primary key,
      stream_id text not null,
      stream_version integer not null,
      event_id uuid not null,
      type text not null,
      data jsonb not null,
      metadata jsonb not null,
      recorded_at timestamptz not null,
      constraint events_stream_version_key unique (stream_id, stream_version),
      constraint events_event_id_key unique (event_id)
    )`.execute(db);
  // Snapshots (see load.ts): a cache of aggregate states for deciding, never read by audit or projections; safe to empty.
  await sql`
    create table if not exists eventstore.snapshots (
      stream_id text primary key,
      schema text not null,
      stream_version integer not null,
      hash text not null,
      state jsonb not null,
      taken_at timestamptz not null
    )`.execute(db);
  // p_expected: >= 0 exact version, -1 no_stream, -2 any, -3 stream_exists.
  // p_events: [{ eventId, type, data, metadata, contentHash }]. Returns one row per event, or one status row. A written
  // event's row carries its chain link and recording time (epoch ms), not its metadata (the caller has them): no jsonb
  // sent back and parsed again, no timestamp text parsed. A repeated event's row has the stored metadata.
  // Until 2026-12 the function returned metadata and recorded_at instead: a store of that time has it replaced here.
  await sql`
    do $do$ begin
      if exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'eventstore' and p.proname = 'append' and pg_get_function_result(p.oid) not like '%recorded_ms%') then
        drop function eventstore.append(text, integer, jsonb);
      end if;
    end $do$`.execute(db);
  await sql`
    create or replace function eventstore.append(p_stream text, p_expected integer, p_events jsonb)
    returns table (status text, stream_version integer, global_position text, event_id uuid, metadata jsonb, prev_hash text, hash text, recorded_ms float8)
    language plpgsql as $fn$
    declare
      v_current integer;
      v_prev text;
      v_ids uuid[];
      v_content text[];
      v_hashes text[];
      v_n integer;
      v_found integer;
      v_base bigint;
      v_seq bigint;
      v_ignored text;
      -- Milliseconds, as a recorded event carries them (a JavaScript Date), since the chain link covers the time.
      v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
      -- The time's text once, for every link (linkTimeText).
      v_at text := ${sql.raw(linkTimeText('v_now'))};
      v_ms float8 := floor(extract(epoch from v_now) * 1000);
    begin
      -- Serialise appends per stream WITHOUT taking a transaction id yet (advisory locks do not need one). An assignment,
      -- not PERFORM: PL/pgSQL evaluates it as a simple expression, without starting an executor.
      v_ignored := pg_advisory_xact_lock(hashtextextended(p_stream, 0))::text;

      -- Several events (a single one goes by eventstore.append_one): ids and content hashes gathered in one pass. Two plain
      -- look-ups: measured 2-3x faster than one statement joining them laterally.
      v_n := jsonb_array_length(p_events);
      select array_agg((e->>'eventId')::uuid order by o), array_agg(e->>'contentHash' order by o)
        into v_ids, v_content from jsonb_array_elements(p_events) with ordinality x(e, o);
      select count(*) into v_found from eventstore.events ev where ev.event_id = any(v_ids);
      select ev.stream_version, ev.metadata->>'hash' into v_current, v_prev
        from eventstore.events ev where ev.stream_id = p_stream order by ev.stream_version desc limit 1;

      if v_found > 0 then
        -- Idempotent re-append: the very same events, consecutive, in this stream.
        return query
          select case when v_found = v_n
                        and bool_and(ev.stream_id = p_stream)
                        and max(ev.stream_version) - min(ev.stream_version) = v_found - 1 then 'duplicate' else 'conflict' end,
                 null::integer, null::text, null::uuid, null::jsonb, null::text, null::text, null::float8
          from eventstore.events ev where ev.event_id = any(v_ids);
        return query
          select 'event', ev.stream_version, ev.global_position::text, ev.event_id, ev.metadata, ev.metadata->>'prevHash',
                 ev.metadata->>'hash', floor(extract(epoch from ev.recorded_at) * 1000)::float8
          from eventstore.events ev where ev.event_id = any(v_ids) order by ev.stream_version;
        return;
      end if;

      v_current := coalesce(v_current, -1);
      if ${versionRefused('p_expected', 'v_current')} then
        return query select 'wrong_expected_version', v_current, null::text, null::uuid, null::jsonb, null::text, null::text, null::float8;
        return;
      end if;

      -- Only now, holding the stream lock, does this transaction take its id: later appenders to the stream get larger ones.
${NEXT_POSITION}
      -- The chain links in plain expressions (no statement per event), then one set-based insert.
      v_hashes := array_fill(null::text, array[v_n + 1]);
      v_hashes[1] := v_prev;
      for i in 1..v_n loop
        -- Link version 2 (hash-chain.ts, linkHash): binds the recording time as well.
        v_hashes[i + 1] := ${linkHash({ prev: 'v_hashes[i]', stream: 'p_stream', version: 'v_current + i', content: 'v_content[i]', at: 'v_at' })};
      end loop;
      return query
        insert into eventstore.events as ev (global_position, stream_id, stream_version, event_id, type, data, metadata, recorded_at)
        select v_seq + o - 1, p_stream, v_current + o::int, (e->>'eventId')::uuid, e->>'type', e->'data',
               (e->'metadata') || jsonb_build_object('prevHash', v_hashes[o], 'hash', v_hashes[o + 1], 'hashVersion', 2), v_now
        from jsonb_array_elements(p_events) with ordinality x(e, o)
        order by o
        returning 'event'::text, ev.stream_version, ev.global_position::text, ev.event_id, null::jsonb,
                  v_hashes[ev.stream_version - v_current], v_hashes[ev.stream_version - v_current + 1], v_ms;
    end
    $fn$`.execute(db);
  // One event, the common case, as plain parameters (no jsonb array to take apart) and one row back, whatever happened: the
  // same columns as eventstore.append's. It reads the stream's head first; when the expected version holds it inserts at
  // once, and the event-id index decides idempotency (on conflict do nothing: a repeated id inserts nothing and is then
  // looked up, as eventstore.append does). Only a refused version or a repeated id costs the look-up by id; what each
  // case answers is the same as eventstore.append's for one event. p_content is the content hash (hash-chain.ts).
  // Two functions of that one body (appendOneFunction): eventstore.append_one, whose insert lets the event-id index
  // decide idempotency without an error (on conflict do nothing), for appends inside a transaction (a unit of work), where
  // an error would abort the transaction; and eventstore.append_one_or_raise, whose plain insert raises unique_violation
  // on events_event_id_key for a repeated id, for an append that is its own transaction: the store then sends it again
  // by eventstore.append, which answers a repeat or a conflict. The arbiter's speculative insertion cost ~10 µs of
  // server CPU and 48 bytes of WAL on every append (docs/benchmarks.md (a), 2026-12-05 04:50); the plain insert costs
  // nothing extra unless the id repeats.
  await appendOneFunction('append_one', true).execute(db);
  await appendOneFunction('append_one_or_raise', false).execute(db);
  // Upper bound of the stable prefix of $all: no event below it can still be uncommitted.
  await sql`
    create or replace function eventstore.stable_bound() returns bigint language sql stable as
    $fn$ select (pg_snapshot_xmin(pg_current_snapshot())::text::bigint) << 20 $fn$`.execute(db);
};
