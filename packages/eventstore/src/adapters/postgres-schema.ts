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
      v_mark text;
      v_ignored text;
      -- Milliseconds, as a recorded event carries them (a JavaScript Date), since the chain link covers the time.
      v_now timestamptz := date_trunc('milliseconds', clock_timestamp());
      v_at text := to_char(v_now at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
      v_ms float8 := floor(extract(epoch from v_now) * 1000);
    begin
      -- Serialise appends per stream WITHOUT taking a transaction id yet (advisory locks do not need one). An assignment,
      -- not PERFORM: PL/pgSQL evaluates it as a simple expression, without starting an executor (as for set_config below).
      v_ignored := pg_advisory_xact_lock(hashtextextended(p_stream, 0))::text;

      -- One event, the common case, is read straight from the array; several are gathered in one pass.
      v_n := jsonb_array_length(p_events);
      if v_n = 1 then
        v_ids := array[(p_events->0->>'eventId')::uuid];
        v_content := array[p_events->0->>'contentHash'];
      else
        select array_agg((e->>'eventId')::uuid order by o), array_agg(e->>'contentHash' order by o)
          into v_ids, v_content from jsonb_array_elements(p_events) with ordinality x(e, o);
      end if;
      -- Two plain look-ups: measured 2-3x faster than one statement joining them laterally. A single event's id is probed
      -- by equality (an index scan on the unique key, whatever the table statistics); "= any (...)" plans as a bitmap scan,
      -- ~40-60 µs more per append, and exists (...) could be cached as a sequential scan while the table is small.
      if v_n = 1 then
        select count(*) into v_found from eventstore.events ev where ev.event_id = v_ids[1];
      else
        select count(*) into v_found from eventstore.events ev where ev.event_id = any(v_ids);
      end if;
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
      if (p_expected = -1 and v_current <> -1) or (p_expected = -3 and v_current = -1) or (p_expected >= 0 and v_current <> p_expected) then
        return query select 'wrong_expected_version', v_current, null::text, null::uuid, null::jsonb, null::text, null::text, null::float8;
        return;
      end if;

      -- Only now, holding the stream lock, does this transaction take its id: later appenders to the stream get larger ones.
      -- The transaction's next position is kept in a transaction-local setting ("<base>:<next>"): no index probe for the
      -- positions this transaction already used. A rolled-back savepoint takes its setting back with its rows.
      v_base := (pg_current_xact_id()::text::bigint) << 20;
      v_mark := current_setting('eventstore.next_position', true);
      v_seq := case when v_mark like v_base || ':%' then split_part(v_mark, ':', 2)::bigint else v_base end;
      v_ignored := set_config('eventstore.next_position', v_base || ':' || (v_seq + v_n), true);

      -- The chain links in plain expressions (no statement per event), then one set-based insert.
      v_hashes := array_fill(null::text, array[v_n + 1]);
      v_hashes[1] := v_prev;
      for i in 1..v_n loop
        -- Link version 2 (hash-chain.ts, linkHash): binds the recording time as well.
        v_hashes[i + 1] := encode(sha256(convert_to('2|' || coalesce(v_hashes[i], '') || '|' || p_stream || '|' || (v_current + i) || '|' || v_content[i] || '|' || v_at, 'UTF8')), 'hex');
      end loop;
      if v_n = 1 then
        -- The same row as below, without unnesting the array: ~10 % of the function's CPU for a single event.
        return query
          insert into eventstore.events as ev (global_position, stream_id, stream_version, event_id, type, data, metadata, recorded_at)
          values (v_seq, p_stream, v_current + 1, v_ids[1], p_events->0->>'type', p_events->0->'data',
                  (p_events->0->'metadata') || jsonb_build_object('prevHash', v_hashes[1], 'hash', v_hashes[2], 'hashVersion', 2), v_now)
          returning 'event'::text, ev.stream_version, ev.global_position::text, ev.event_id, null::jsonb, v_hashes[1], v_hashes[2], v_ms;
        return;
      end if;
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
  // Upper bound of the stable prefix of $all: no event below it can still be uncommitted.
  await sql`
    create or replace function eventstore.stable_bound() returns bigint language sql stable as
    $fn$ select (pg_snapshot_xmin(pg_current_snapshot())::text::bigint) << 20 $fn$`.execute(db);
};
