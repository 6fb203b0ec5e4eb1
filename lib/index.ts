/**
 * sessionflow's engine (`sessionflow/lib`): calendars, config, store, the session loop,
 * SessionData and results. It knows nothing of concrete operators: a pipeline is passed in.
 */
export * from './errors.ts';
export { log, setLogLevel, isLogEnabled, LOG_LEVELS, type LogLevel } from './log.ts';
export type { Session, TradingCalendar, ClosedDay, SpecialDay, ExtendedHours } from './calendar/types.ts';
export { getCalendar, listCalendars, registerCalendar } from './calendar/get-calendar.ts';
export { createCustomCalendar } from './calendar/custom-calendar.ts';
export { CalendarDefinitionSchema, type CalendarDefinition, type CalendarDefinitionInput } from './calendar/calendar-definition.ts';
export { parseInterval, intervalMs, type Interval } from './calendar/interval.ts';
export { SessionConfigSchema, type SessionConfig, type SessionConfigInput } from './config/schema.ts';
export { parseConfig, readConfigFile, defineConfig } from './config/parse-config.ts';
export { planRun, type RunPlan, type MissingData, type AvailabilityReport } from './config/plan-run.ts';
export type { StoreConfig, BarColumns, LoadedBars, RejectReason, RejectCounts, DailyBars } from './store/types.ts';
export { ParquetBarReader, type LoadOutcome } from './store/bar-reader.ts';
export { writeParquetFile } from './store/parquet-writer.ts';
export { generateDemoStore, DEMO_DAILY_LAYOUT, DEMO_YEARLY_LAYOUT } from './store/demo-data.ts';
export { importBars, IMPORT_DEFAULT_LAYOUT, type ImportOptions, type ImportReport } from './store/import/import-bars.ts';
export { IMPORT_PRESETS, type ImportPreset, type ImportPresetName } from './store/import/import-presets.ts';
export { readStoreManifest, type StoreManifest } from './store/import/store-manifest.ts';
export { checkStore, type StoreCheckReport, type SessionCheck, type SymbolCheck } from './store/check/check-store.ts';
export { sessionCoverage, type SessionCoverage } from './store/check/session-coverage.ts';
export { BarSeries, type Bar } from './session/bar-series.ts';
export { SessionData, SymbolData, type IntervalQuality, type HistoryQuality } from './session/session-data.ts';
export type { TimeSlice, ClosedBars, Signal, SlicePipeline, SliceKind } from './session/time-slice.ts';
export { TickBars } from './session/tick-bars.ts';
export { RunMemory } from './session/run-memory.ts';
export { createBacktest, historyNeedsOf, type BacktestOptions, type BacktestRun } from './session/create-backtest.ts';
export type { SessionContext, SessionComponent, StageNeeds, DayOperations, SymbolAddition, SymbolDrop, SymbolRequest, Json } from './session/component.ts';
export { SessionDay, type DayPhase, type SessionDayOptions } from './session/session-day.ts';
export { ScanView, type ScanBars, type ScanDailyBar } from './session/scan-view.ts';
export { parseScanSchedule, type ScanSchedule, type ScheduleEntry } from './clock/scan-schedule.ts';
export { Registry, closestName, type RegistryItem, type RegisterOptions } from './registry.ts';
export { validateParams, describeParams, type ParamSpec, type ParamSpecs } from './config/validate-params.ts';
export { resolveUniverse, type UniverseSpec } from './config/resolve-universe.ts';
export { listStoreSymbols } from './store/list-store-symbols.ts';
export { openBarLoader, runningDecodeThreads, ThreadedBarLoader, type BarLoader } from './store/threaded-bar-loader.ts';
export type { BacktestResult, DayResult, RunEvent, RunTotals, Phase } from './session/results.ts';
export { exportSessionData } from './session/export-session-data.ts';
export { sessionTicks } from './clock/session-ticks.ts';
export { expectedWindows, seriesQuality, type QualitySeries } from './metrics/quality.ts';
export * from './indicators/index.ts';
