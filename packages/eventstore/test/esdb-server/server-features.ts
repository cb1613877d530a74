/**
 * What the client asks besides the streams:
 * - `ServerFeatures.GetSupportedMethods`: fetched lazily (first `appendToStream`) to decide between Append and
 *   BatchAppend. Like the real server, method and service names are lower-cased, reads advertise the features
 *   `position` and `events`, and BatchAppend `deadline_duration`. Only methods this server implements are listed.
 * - `Gossip.Read`: only used for cluster discovery (`esdb+discover://` or several hosts in the connection string; a
 *   single-host `esdb://host:port` connects directly). Answers with one live leader, this server.
 */
import type { IGossipServer } from '@eventstore/db-client/generated/gossip_grpc_pb';
import type { IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { gossipPb, makeUuid, newUuid, serverFeaturesPb } from './proto';

/** The EventStoreDB version this server claims to be (the first with `caught_up` subscription messages is 23.10). */
export const SERVER_VERSION = '23.10.0';

export interface FeatureOptions {
  readonly batchAppend: boolean;
}

export const createServerFeaturesService = (options: FeatureOptions): IServerFeaturesServer => {
  const method = (service: string, name: string, features: readonly string[] = []) =>
    new serverFeaturesPb.SupportedMethod()
      .setServiceName(service.toLowerCase())
      .setMethodName(name.toLowerCase())
      .setFeaturesList([...features]);
  const streams = 'event_store.client.streams.Streams';
  const methods = [
    method(streams, 'Read', ['position', 'events']),
    method(streams, 'Append'),
    ...(options.batchAppend ? [method(streams, 'BatchAppend', ['deadline_duration'])] : []),
    method(streams, 'Delete'),
    method(streams, 'Tombstone'),
    method('event_store.client.gossip.Gossip', 'Read'),
    method('event_store.client.server_features.ServerFeatures', 'GetSupportedMethods'),
  ];
  return {
    getSupportedMethods: (_call, callback) => {
      callback(null, new serverFeaturesPb.SupportedMethods().setEventStoreServerVersion(SERVER_VERSION).setMethodsList(methods));
    },
  };
};

export const createGossipService = (endpoint: () => { readonly address: string; readonly port: number }): IGossipServer => {
  const instanceId = newUuid();
  return {
    read: (_call, callback) => {
      const { address, port } = endpoint();
      const member = new gossipPb.MemberInfo()
        .setInstanceId(makeUuid(instanceId, true))
        .setTimeStamp((BigInt(Date.now()) * 10_000n).toString())
        .setState(gossipPb.MemberInfo.VNodeState.LEADER)
        .setIsAlive(true)
        .setHttpEndPoint(new gossipPb.EndPoint().setAddress(address).setPort(port));
      callback(null, new gossipPb.ClusterInfo().setMembersList([member]));
    },
  };
};
