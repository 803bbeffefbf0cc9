/**
 * LookML dashboards (`*.dashboard.lookml`, YAML): per entity its activity, per dataset the
 * freshness of its streams with a single number a Looker alert can watch. Every tile names its
 * explore and fields as the generated views define them, and carries a note saying what it shows.
 */
import type { Entity } from "../../model/types.js";
import { yamlSequenceDocument, type YamlMapping, type YamlValue } from "../../printers/yaml-text.js";
import type { EntityExploreSource } from "../../semantic/entity-views.js";
import { isHighFrequency } from "../../semantic/entity-views.js";
import { STALE_ENTITIES } from "./freshness.js";
import { STALE_STATUSES } from "../../physical/freshness-view.js";
import { CONSTANTS, constantRef, titleCase } from "../../semantic/lookml-names.js";

/** Dashboards use Looker's 24-column grid. */
const GRID_WIDTH = 24;
const TILE_HEIGHT = 6;
/** At most this many breakdowns and quantity charts per entity: a dashboard, not a catalogue. */
const MAX_BREAKDOWNS = 3;
const MAX_QUANTITY_CHARTS = 4;
const DATE_FILTER = "date";
const DEFAULT_RANGE = "7 days";

interface Tile {
  readonly name: string;
  readonly title: string;
  readonly note: string;
  readonly explore: string;
  readonly type: string;
  readonly fields: readonly string[];
  readonly pivots?: readonly string[];
  readonly sorts?: readonly string[];
  readonly listen?: YamlMapping;
  readonly width: number;
}

export function activityDashboardName(source: EntityExploreSource): string {
  return `${source.names.file}_activity`;
}

/** The activity of one entity: events over time by operation, how many exist now, and what they are. */
export function activityDashboard(source: EntityExploreSource): { name: string; text: string } {
  const { entity, names, events, latest } = source;
  const title = titleCase(entity.messageName);
  const timeGroup = events.timeGroups.get(entity.partitioning.column) ?? events.timeGroups.get("publish_time");
  if (timeGroup === undefined) throw new Error(`internal error: ${entity.typeName} has no time group for ${entity.partitioning.column}`);
  const hourly = isHighFrequency(entity) && entity.partitioning.columnType !== "DATE";
  const axis = `${names.eventsView}.${timeGroup}_${hourly ? "hour" : "date"}`;
  const dateField = `${names.eventsView}.${timeGroup}_date`;
  const listen = { [DATE_FILTER]: dateField };
  const per = hourly ? "hour" : "day";
  const tiles: Tile[] = [
    ...(latest === undefined ? [] : [{
      name: "current_count",
      title: `${title} entities now`,
      note: `How many ${entity.messageName} entities exist, each in its latest state (deleted ones left out). Not limited by the date filter.`,
      explore: names.latestView,
      type: "single_value",
      fields: [`${names.latestView}.count`],
      width: 6,
    }]),
    {
      name: "events_by_operation",
      title: `Events per ${per} by operation`,
      note: `${entity.messageName} events per ${per} of ${entity.partitioning.column}, split into CREATED, UPDATED and DELETED; an event Pub/Sub delivered twice counts once.`,
      explore: names.eventsView,
      type: "looker_column",
      fields: [axis, `${names.eventsView}.operation`, `${names.eventsView}.count`],
      pivots: [`${names.eventsView}.operation`],
      sorts: [`${axis} desc`],
      listen,
      // An append-only entity has no "entities now" tile beside it.
      width: latest === undefined ? 24 : 18,
    },
    ...(latest?.breakdowns ?? []).slice(0, MAX_BREAKDOWNS).map(
      (dimension): Tile => ({
        name: `by_${dimension}`,
        title: `${title} entities by ${titleCase(dimension)}`,
        note: `How many ${entity.messageName} entities (latest state) have each ${dimension}.`,
        explore: names.latestView,
        type: "looker_pie",
        fields: [`${names.latestView}.${dimension}`, `${names.latestView}.count`],
        sorts: [`${names.latestView}.count desc`],
        width: 8,
      }),
    ),
    ...events.chartableSums
      .slice(0, MAX_QUANTITY_CHARTS)
      .map((q): Tile => {
        const currency = q.currency !== undefined ? [`${names.eventsView}.${q.currency}`] : [];
        return {
          name: q.name,
          title: `${titleCase(q.name)} per ${per}`,
          note: `${titleCase(q.name)} over the ${entity.messageName} events of each ${per}, each event once however often it was delivered${currency.length > 0 ? "; one line per currency, since amounts in different currencies are not added" : ""}.`,
          explore: names.eventsView,
          type: "looker_line",
          fields: [axis, ...currency, `${names.eventsView}.${q.name}`],
          pivots: currency.length > 0 ? currency : undefined,
          sorts: [`${axis} desc`],
          listen,
          width: 12,
        };
      }),
  ];
  const name = activityDashboardName(source);
  return {
    name,
    text: dashboardText({
      name,
      title: `${title} activity`,
      description: `Activity of ${entity.typeName}: events over time, the current number of entities and their main breakdowns.`,
      filters: [
        {
          name: DATE_FILTER,
          title: "Date",
          type: "field_filter",
          default_value: DEFAULT_RANGE,
          allow_multiple_values: true,
          required: false,
          ui_config: { type: "relative_timeframes", display: "inline" },
          model: constantRef(CONSTANTS.model),
          explore: names.eventsView,
          listens_to_filters: [],
          field: dateField,
        },
      ],
      tiles,
    }),
  };
}

export function freshnessDashboardName(freshnessView: string): string {
  return freshnessView;
}

/** The freshness of a dataset's streams: the alertable number of stale entities, and the table behind it. */
export function freshnessDashboard(
  freshnessView: string,
  dataset: string,
  entities: readonly Entity[],
  lastPublishGroup: string,
): { name: string; text: string } {
  const field = (name: string) => `${freshnessView}.${name}`;
  const tiles: Tile[] = [
    {
      name: STALE_ENTITIES,
      title: "Stale entities",
      note: `Entities of ${dataset} whose status is ${STALE_STATUSES.join(", ")}: late against their contract, or without any event in the lookback window. 0 when every stream is on time. Set a Looker alert on this tile (Stale Entities greater than 0); the explore is never cached.`,
      explore: freshnessView,
      type: "single_value",
      fields: [field(STALE_ENTITIES)],
      width: 6,
    },
    {
      name: "freshness_by_entity",
      title: "Freshness by entity",
      note: "Every entity of the dataset: its status, seconds since its last event, the thresholds its contract sets and when its last event arrived. Most delayed first.",
      explore: freshnessView,
      type: "looker_grid",
      fields: [field("entity"), field("status"), field("lag_seconds"), field("warn_after_seconds"), field("error_after_seconds"), field(`${lastPublishGroup}_time`)],
      sorts: [`${field("lag_seconds")} desc`],
      width: 18,
    },
  ];
  const name = freshnessDashboardName(freshnessView);
  return {
    name,
    text: dashboardText({
      name,
      title: `Freshness of ${dataset}`,
      description: `Whether the ${entities.length} entit${entities.length === 1 ? "y" : "ies"} of ${dataset} receive events as often as their contracts expect.`,
      filters: [],
      tiles,
      refresh: "5 minutes",
    }),
  };
}

interface DashboardSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly filters: readonly YamlMapping[];
  readonly tiles: readonly Tile[];
  readonly refresh?: string;
}

function dashboardText(spec: DashboardSpec): string {
  let row = 0;
  let col = 0;
  const elements: YamlValue[] = spec.tiles.map((tile) => {
    if (col + tile.width > GRID_WIDTH) {
      row += TILE_HEIGHT;
      col = 0;
    }
    const element: YamlMapping = {
      name: tile.name,
      title: tile.title,
      note_state: "collapsed",
      note_display: "hover",
      note_text: tile.note,
      model: constantRef(CONSTANTS.model),
      explore: tile.explore,
      type: tile.type,
      fields: [...tile.fields],
      pivots: tile.pivots !== undefined ? [...tile.pivots] : undefined,
      sorts: tile.sorts !== undefined ? [...tile.sorts] : undefined,
      limit: 500,
      listen: tile.listen,
      row,
      col,
      width: tile.width,
      height: TILE_HEIGHT,
    };
    col += tile.width;
    return element;
  });
  return yamlSequenceDocument([
    {
      dashboard: spec.name,
      title: spec.title,
      description: spec.description,
      layout: "newspaper",
      preferred_viewer: "dashboards-next",
      refresh: spec.refresh,
      filters: spec.filters.length > 0 ? [...spec.filters] : undefined,
      elements,
    },
  ]);
}
