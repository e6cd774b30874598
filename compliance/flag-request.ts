import { HttpError, isJsonObject, type JsonObject } from './http-util.js';
import { optionalBoolean, optionalObject, requiredString } from './validate.js';

/**
 * The per-call options of `client.getFeatureFlag`, as far as `/get_feature_flag` sets them. Only fields the
 * harness sent are present: everything else keeps the SDK's defaults (`geoip_disable: false` on `/flags`,
 * `$feature_flag_called` sent, the client's local-evaluation setting).
 */
export interface FeatureFlagCallOptions {
  personProperties?: Record<string, unknown>;
  groups?: Record<string, string | number>;
  groupProperties?: Record<string, Record<string, unknown>>;
  disableGeoip?: boolean;
  onlyEvaluateLocally?: boolean;
}

/** What `/get_feature_flag` asks for, mapped to `client.getFeatureFlag(key, distinctId, options)`. */
export interface FeatureFlagRequest {
  key: string;
  distinctId: string;
  options: FeatureFlagCallOptions;
}

/** `groups`: group type to group key; PostHog keys are strings, numeric ids are accepted as the SDK does. */
function groupsOf(body: JsonObject): Record<string, string | number> | undefined {
  const groups = optionalObject(body, 'groups');
  if (groups === undefined) return undefined;
  const out: Record<string, string | number> = {};
  for (const [type, key] of Object.entries(groups)) {
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isFinite(key))) {
      throw new HttpError(400, `"groups.${type}" must be a string (the group key)`);
    }
    out[type] = key;
  }
  return out;
}

/** `group_properties`: group type to that group's properties object. */
function groupPropertiesOf(body: JsonObject): Record<string, Record<string, unknown>> | undefined {
  const given = optionalObject(body, 'group_properties');
  if (given === undefined) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, properties] of Object.entries(given)) {
    if (!isJsonObject(properties)) {
      throw new HttpError(400, `"group_properties.${type}" must be a JSON object of properties`);
    }
    out[type] = properties;
  }
  return out;
}

/**
 * Parses `/get_feature_flag`. `force_remote` asks for a `/flags` request even where local evaluation were
 * possible. The adapter never gives the SDK a local evaluation source (no secret key, no definitions, no
 * cache provider: `/init` has no such options), so every call is remote already; `force_remote: true` only
 * adds `onlyEvaluateLocally: false`, which rules out the one setting that would forbid the remote call.
 */
export function parseGetFeatureFlag(body: JsonObject): FeatureFlagRequest {
  const key = requiredString(body, 'key');
  const distinctId = requiredString(body, 'distinct_id');
  const options: FeatureFlagCallOptions = {};
  const personProperties = optionalObject(body, 'person_properties');
  if (personProperties !== undefined) options.personProperties = personProperties;
  const groups = groupsOf(body);
  if (groups !== undefined) options.groups = groups;
  const groupProperties = groupPropertiesOf(body);
  if (groupProperties !== undefined) options.groupProperties = groupProperties;
  // Absent means the SDK default (geoip_disable: false), which the contract expects; never pass undefined.
  const disableGeoip = optionalBoolean(body, 'disable_geoip');
  if (disableGeoip !== undefined) options.disableGeoip = disableGeoip;
  if (optionalBoolean(body, 'force_remote') === true) options.onlyEvaluateLocally = false;
  return { key, distinctId, options };
}
