/** The demo world: regions, tiers, dealers and products of a manufacturer of pumps and valves. */
export const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;

export const TIERS = [
  { tier: 'platinum', discountBps: 1500 },
  { tier: 'gold', discountBps: 1000 },
  { tier: 'silver', discountBps: 500 },
  { tier: 'standard', discountBps: 0 },
] as const;

export const DEALERS = [
  { partnerId: 'nordic-flow', name: 'Nordic Flow AB', region: 'north', tier: 'platinum', creditEur: 400_000, weight: 9 },
  { partnerId: 'baltic-pumps', name: 'Baltic Pumps OÜ', region: 'north', tier: 'silver', creditEur: 120_000, weight: 4 },
  { partnerId: 'iberia-agua', name: 'Iberia Agua S.L.', region: 'south', tier: 'gold', creditEur: 250_000, weight: 7 },
  { partnerId: 'adriatic-tech', name: 'Adriatic Tech d.o.o.', region: 'south', tier: 'standard', creditEur: 60_000, weight: 3 },
  { partnerId: 'danube-supply', name: 'Danube Supply Kft.', region: 'east', tier: 'gold', creditEur: 200_000, weight: 6 },
  { partnerId: 'vistula-hydro', name: 'Vistula Hydro Sp. z o.o.', region: 'east', tier: 'silver', creditEur: 90_000, weight: 4 },
  { partnerId: 'atlantic-fluid', name: 'Atlantic Fluid Ltd', region: 'west', tier: 'platinum', creditEur: 450_000, weight: 10 },
  { partnerId: 'brittany-valves', name: 'Brittany Valves SARL', region: 'west', tier: 'silver', creditEur: 100_000, weight: 4 },
  { partnerId: 'alpine-systems', name: 'Alpine Systems GmbH', region: 'central', tier: 'gold', creditEur: 300_000, weight: 8 },
  { partnerId: 'rhein-industrie', name: 'Rhein Industrie KG', region: 'central', tier: 'gold', creditEur: 220_000, weight: 6 },
  { partnerId: 'bohemia-trade', name: 'Bohemia Trade s.r.o.', region: 'central', tier: 'standard', creditEur: 50_000, weight: 3 },
  { partnerId: 'po-valley', name: 'Po Valley Distribuzione S.p.A.', region: 'south', tier: 'silver', creditEur: 130_000, weight: 5 },
] as const;

/** Monthly net sales each dealer agreed to in its agreement (EUR; a quarterly agreement's goal is three times this). */
export const SALES_GOALS: Readonly<Record<string, number>> = {
  'nordic-flow': 30_000,
  'baltic-pumps': 40_000,
  'iberia-agua': 50_000,
  'danube-supply': 35_000,
  'vistula-hydro': 30_000,
  'atlantic-fluid': 110_000,
  'brittany-valves': 60_000,
  'alpine-systems': 75_000,
  'rhein-industrie': 70_000,
  'bohemia-trade': 20_000,
  'po-valley': 45_000,
};

const FAMILIES = [
  {
    category: 'pumps',
    prefix: 'PMP',
    names: ['Centrifugal pump 2"', 'Centrifugal pump 3"', 'Submersible pump 1.5 kW', 'Submersible pump 3 kW', 'Booster set', 'Dosing pump', 'Circulator'],
    price: [45_000, 320_000],
  },
  {
    category: 'valves',
    prefix: 'VLV',
    names: [
      'Ball valve DN25',
      'Ball valve DN50',
      'Butterfly valve DN100',
      'Check valve DN40',
      'Gate valve DN80',
      'Pressure relief valve',
      'Solenoid valve 24V',
    ],
    price: [2_500, 48_000],
  },
  {
    category: 'pipes',
    prefix: 'PIP',
    names: ['PE pipe 32 mm (100 m)', 'PE pipe 63 mm (100 m)', 'PVC pipe 110 mm (6 m)', 'Steel pipe 2" (6 m)', 'Flexible hose 1" (25 m)'],
    price: [3_000, 60_000],
  },
  {
    category: 'fittings',
    prefix: 'FIT',
    names: ['Elbow 90° DN50', 'Tee DN50', 'Reducer 63/32', 'Flange DN100', 'Coupling 1"', 'Union 2"'],
    price: [300, 6_000],
  },
  {
    category: 'controls',
    prefix: 'CTL',
    names: ['Pressure switch', 'Level sensor', 'Pump controller', 'Variable speed drive 4 kW', 'Flow meter DN50'],
    price: [4_500, 180_000],
  },
  {
    category: 'filters',
    prefix: 'FLT',
    names: ['Y-strainer DN50', 'Sand filter', 'Cartridge filter 10"', 'Self-cleaning filter DN80'],
    price: [2_000, 95_000],
  },
] as const;

export interface DemoProduct {
  readonly sku: string;
  readonly name: string;
  readonly category: string;
  readonly listPriceMinor: number;
}

/** 34 products; prices spread over each family's range, rounded to whole euros. */
export const PRODUCTS: readonly DemoProduct[] = FAMILIES.flatMap((f) =>
  f.names.map((name, i) => {
    const span = f.price[1] - f.price[0];
    const raw = f.price[0] + (span * i) / Math.max(1, f.names.length - 1);
    return { sku: `${f.prefix}-${String(i + 1).padStart(3, '0')}`, name, category: f.category, listPriceMinor: Math.round(raw / 100) * 100 };
  }),
);
