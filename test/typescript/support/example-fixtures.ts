/**
 * One realistic entity per entity of the example domain, with the topic message it must become,
 * written out by hand in protobuf's JSON mapping with .proto field names (int64 as strings, bytes
 * as base64). Between them they use every feature of the model: all scalar types, enums (and an
 * unknown enum number), oneofs, maps, repeated fields, Money, Decimal, Duration, Date, TimeOfDay,
 * DateTime, Struct, Value, ListValue, Any, FieldMask, Empty, wrappers, proto2 defaults and groups,
 * recursion cut to JSON, an ignored field, proto3 optional and editions presence.
 */
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";

/** The generated package's exports, as loaded from dist/. */
export type GeneratedModule = Record<string, any>;

export interface Fixture {
  readonly name: string;
  /** The event class. */
  readonly event: GeneratedModule[string];
  readonly schema: DescMessage;
  readonly entity: Message;
  /** The topic message's entity columns (the envelope is checked separately). */
  readonly expected: Record<string, unknown>;
  /** Fields ignored by the contract ((entity.v1.field).ignore): they never travel. */
  readonly ignored?: readonly string[];
}

/** Days since 1970-01-01, computed without the code under test. */
export function epochDays(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() / 86_400_000;
}

const ts = (seconds: bigint, nanos = 0) => ({ seconds, nanos });

export function exampleFixtures(m: GeneratedModule): Fixture[] {
  const bufferedReading = create(m.BufferedReadingSchema, { measuredAt: ts(1700000300n), value: 12.5 });
  return [
    {
      name: "User",
      event: m.UserEvent,
      schema: m.UserSchema,
      entity: create(m.UserSchema, {
        id: "user-1",
        email: "ada@example.com",
        displayName: "Ada Lovelace",
        birthDate: { year: 1815, month: 12, day: 10 },
        status: m.AccountStatus.ACTIVE,
        address: {
          street: "12 St James's Square",
          postalCode: "SW1Y 4JH",
          city: "London",
          countryCode: "GB",
          location: { latitude: 51.5074, longitude: -0.1339 },
        },
        phoneNumbers: ["+44 20 7946 0000", "+44 7700 900000"],
        consents: { marketing: true, analytics: false },
        createdAt: ts(1700000000n, 123456000),
        // Before the epoch: microseconds round towards negative infinity.
        lastLoginAt: ts(-1n, 999999000),
        // A wrapper set to zero is a value, not NULL.
        referralCount: 0,
        preferences: { theme: "dark", notifications: { email: true }, tags: ["a", 1, null] },
        changedFields: { paths: ["display_name", "address.postal_code"] },
        passwordHash: "never leaves the service",
        locale: "en-GB",
      }),
      expected: {
        id: "user-1",
        email: "ada@example.com",
        display_name: "Ada Lovelace",
        birth_date: epochDays(1815, 12, 10),
        status: "ACCOUNT_STATUS_ACTIVE",
        address: {
          street: "12 St James's Square",
          postal_code: "SW1Y 4JH",
          city: "London",
          country_code: "GB",
          location: { latitude: 51.5074, longitude: -0.1339 },
        },
        phone_numbers: ["+44 20 7946 0000", "+44 7700 900000"],
        consents: [
          { key: "marketing", value: true },
          { key: "analytics", value: false },
        ],
        created_at: "1700000000123456",
        last_login_at: "-1",
        referral_count: 0,
        preferences: '{"theme":"dark","notifications":{"email":true},"tags":["a",1,null]}',
        changed_fields: "displayName,address.postalCode",
        language_tag: "en-GB",
      },
      ignored: ["passwordHash"],
    },
    {
      name: "User (proto3 zero values and unset messages)",
      event: m.UserEvent,
      schema: m.UserSchema,
      entity: create(m.UserSchema, { id: "user-2" }),
      // The presence rule: zero values of implicit presence (the enum's UNSPECIFIED too), unset
      // messages and wrappers are left out; repeated fields are empty.
      expected: {
        id: "user-2",
        phone_numbers: [],
        consents: [],
      },
    },
    {
      name: "House",
      event: m.HouseEvent,
      schema: m.HouseSchema,
      entity: create(m.HouseSchema, {
        id: "house-1",
        ownerUserId: "user-1",
        address: { street: "1 Main St", postalCode: "10115", city: "Berlin", countryCode: "DE" },
        // A number the enum does not declare (a newer producer's value).
        buildingType: 42,
        floorAreaM2: 123.5,
        constructionYear: 1990,
        installations: [
          { device: { case: "heatPump", value: { nominalPowerKw: 9.5, scop: 4.25 } }, installedAt: ts(1600000000n) },
          { device: { case: "solarPanels", value: { peakPowerKw: 6.4, panelCount: 16 } } },
          { device: { case: "evChargerModel", value: "" } },
          {},
        ],
        feedsIn: false,
        registeredAt: ts(1500000000n, 1000),
      }),
      expected: {
        id: "house-1",
        owner_user_id: "user-1",
        address: { street: "1 Main St", postal_code: "10115", city: "Berlin", country_code: "DE" },
        building_type: "42",
        floor_area_m2: 123.5,
        construction_year: 1990,
        installations: [
          { heat_pump: { nominal_power_kw: 9.5, scop: 4.25 }, installed_at: "1600000000000000" },
          { solar_panels: { peak_power_kw: 6.4, panel_count: 16 } },
          { ev_charger_model: "" },
          {},
        ],
        feeds_in: false,
        registered_at: "1500000000000001",
      },
    },
    {
      name: "MeterReading (every scalar type, proto2, group)",
      event: m.MeterReadingEvent,
      schema: m.MeterReadingSchema,
      entity: create(m.MeterReadingSchema, {
        readingId: "reading-1",
        meterId: "meter-1",
        measuredAt: ts(1700000000n, 500000000),
        energyRegisterWh: 18446744073709551615n,
        netEnergyWh: -9223372036854775808n,
        powerW: 1234.5,
        voltageV: 230.25,
        tariffRegister: 2,
        housingTemperatureC: -12,
        signalDbm: -70,
        frameCounter: 18446744073709551614n,
        frameCrc: 4294967295,
        clockDriftMs: -2147483648,
        gatewayReceivedNs: 1700000000123456789n,
        gatewayDelayMs: 15n,
        plausible: false,
        rawFrame: new Uint8Array([0, 1, 254, 255]),
        quality: m.ReadingQuality.ESTIMATED,
        diagnostics: { errorCode: 7, errorText: "low battery" },
      }),
      expected: {
        reading_id: "reading-1",
        meter_id: "meter-1",
        measured_at: "1700000000500000",
        energy_register_wh: "18446744073709551615",
        net_energy_wh: "-9223372036854775808",
        power_w: 1234.5,
        voltage_v: 230.25,
        tariff_register: 2,
        housing_temperature_c: -12,
        signal_dbm: -70,
        frame_counter: "18446744073709551614",
        frame_crc: 4294967295,
        clock_drift_ms: -2147483648,
        gateway_received_ns: "1700000000123456789",
        gateway_delay_ms: "15",
        plausible: false,
        raw_frame: "AAH+/w==",
        quality: "READING_QUALITY_ESTIMATED",
        diagnostics: { error_code: 7, error_text: "low battery" },
      },
    },
    {
      name: "MeterReading (proto2 defaults)",
      event: m.MeterReadingEvent,
      schema: m.MeterReadingSchema,
      entity: create(m.MeterReadingSchema, { readingId: "reading-2", meterId: "meter-1" }),
      // The presence rule: unset explicit-presence fields are left out, a declared default too
      // (the entity's own encoding does not carry it); decoding gives the default back.
      expected: {
        reading_id: "reading-2",
        meter_id: "meter-1",
      },
    },
    {
      name: "SmartMeter (editions, well-known and google.type values)",
      event: m.SmartMeterEvent,
      schema: m.SmartMeterSchema,
      entity: create(m.SmartMeterSchema, {
        id: "meter-1",
        houseId: "house-1",
        commodity: m.Commodity.GAS,
        model: "G4",
        readingInterval: { seconds: 900n, nanos: 500000000 },
        offPeakStartsAt: { hours: 22, minutes: 30, seconds: 5, nanos: 123456000 },
        commissionedAt: { year: 2023, month: 4, day: 5, hours: 8, minutes: 9, seconds: 10, nanos: 0 },
        lastSeenAt: ts(1700000400n),
        vendorConfig: anyPack(m.BufferedReadingSchema, bufferedReading),
        firmwareVersion: { kind: { case: "stringValue", value: "1.2.3" } },
        labels: { values: [{ kind: { case: "stringValue", value: "attic" } }, { kind: { case: "numberValue", value: 2 } }] },
        connectivity: { case: "offline", value: {} },
        failedTransmissions: 0,
        buffered: { "1.8.0": { measuredAt: ts(1700000100n), value: 1.25 } },
      }),
      expected: {
        id: "meter-1",
        house_id: "house-1",
        commodity: "COMMODITY_GAS",
        model: "G4",
        reading_interval: "900.5",
        off_peak_starts_at: "22:30:05.123456",
        commissioned_at: "2023-04-05T08:09:10.000000",
        last_seen_at: "1700000400000000",
        vendor_config: '{"measured_at":"2023-11-14T22:18:20Z","value":12.5,"@type":"type.googleapis.com/energy.metering.v1.BufferedReading"}',
        firmware_version: '"1.2.3"',
        labels: '["attic",2]',
        offline: true,
        // Explicit presence (the editions default): set to zero, so sent.
        failed_transmissions: 0,
        buffered: [{ key: "1.8.0", value: { measured_at: "1700000100000000", value: 1.25 } }],
      },
    },
    {
      name: "SmartMeter (Any of an unknown type, other oneof member, negative duration)",
      event: m.SmartMeterEvent,
      schema: m.SmartMeterSchema,
      entity: create(m.SmartMeterSchema, {
        id: "meter-2",
        readingInterval: { seconds: -1n, nanos: -500000000 },
        vendorConfig: { typeUrl: "type.googleapis.com/vendor.v1.Config", value: new Uint8Array([8, 1]) },
        firmwareVersion: { kind: { case: "numberValue", value: 7 } },
        connectivity: { case: "simIccid", value: "8944500000000000000" },
      }),
      // Editions: fields have explicit presence by default, so unset ones are left out.
      expected: {
        id: "meter-2",
        reading_interval: "-1.5",
        vendor_config: '{"@type":"type.googleapis.com/vendor.v1.Config","value":"CAE="}',
        firmware_version: "7",
        sim_iccid: "8944500000000000000",
        buffered: [],
      },
    },
    {
      name: "Contract (Money, Decimal, Date, recursion cut to JSON)",
      event: m.ContractEvent,
      schema: m.ContractSchema,
      entity: create(m.ContractSchema, {
        id: "contract-1",
        userId: "user-1",
        houseId: "house-1",
        startsOn: { year: 2024, month: 1, day: 1 },
        monthlyAdvance: { currencyCode: "EUR", units: 120n, nanos: 500000000 },
        pricePerKwh: { value: "0.32150" },
        price: {
          name: "total",
          amount: { currencyCode: "EUR", units: 0n, nanos: 321500000 },
          parts: [
            { name: "energy", amount: { currencyCode: "EUR", nanos: 200000000 }, parts: [{ name: "green" }] },
            { name: "grid fee" },
          ],
        },
        signedAt: ts(1703980800n),
      }),
      expected: {
        id: "contract-1",
        user_id: "user-1",
        house_id: "house-1",
        starts_on: epochDays(2024, 1, 1),
        monthly_advance: { currency_code: "EUR", amount: "120.5" },
        price_per_kwh: "0.32150",
        price: {
          name: "total",
          amount: { currency_code: "EUR", amount: "0.3215" },
          parts: ['{"name":"energy","amount":{"currency_code":"EUR","nanos":200000000},"parts":[{"name":"green"}]}', '{"name":"grid fee"}'],
        },
        signed_at: "1703980800000000",
      },
    },
    {
      name: "Invoice (nested messages, repeated messages, negative Money)",
      event: m.InvoiceEvent,
      schema: m.InvoiceSchema,
      entity: create(m.InvoiceSchema, {
        number: "INV-2024-0001",
        contractId: "contract-1",
        period: { firstDay: { year: 2024, month: 2, day: 1 }, lastDay: { year: 2024, month: 2, day: 29 } },
        lines: [
          { description: "Energy", quantity: 350.5, amount: { currencyCode: "EUR", units: 105n, nanos: 150000000 } },
          { description: "Credit", quantity: 1, amount: { currencyCode: "EUR", units: -5n, nanos: -500000000 } },
        ],
        total: { currencyCode: "EUR", units: 99n, nanos: 650000000 },
        issuedAt: ts(1709251200n),
        paymentState: m.PaymentState.PAID,
      }),
      expected: {
        number: "INV-2024-0001",
        contract_id: "contract-1",
        period: { first_day: epochDays(2024, 2, 1), last_day: epochDays(2024, 2, 29) },
        lines: [
          { description: "Energy", quantity: 350.5, amount: { currency_code: "EUR", amount: "105.15" } },
          { description: "Credit", quantity: 1, amount: { currency_code: "EUR", amount: "-5.5" } },
        ],
        total: { currency_code: "EUR", amount: "99.65" },
        issued_at: "1709251200000000",
        payment_state: "PAYMENT_STATE_PAID",
      },
    },
    {
      name: "Payment (entity by plugin option, renamed map column)",
      event: m.PaymentEvent,
      schema: m.PaymentSchema,
      entity: create(m.PaymentSchema, {
        paymentId: "pay-1",
        invoiceNumber: "INV-2024-0001",
        amount: { currencyCode: "EUR", units: 99n, nanos: 650000000 },
        bookedAt: ts(1709337600n),
        attributes: { provider: "acme-pay", card: "visa" },
      }),
      expected: {
        payment_id: "pay-1",
        invoice_number: "INV-2024-0001",
        amount: { currency_code: "EUR", amount: "99.65" },
        booked_at: "1709337600000000",
        payment_attributes: [
          { key: "provider", value: "acme-pay" },
          { key: "card", value: "visa" },
        ],
      },
    },
  ];
}

