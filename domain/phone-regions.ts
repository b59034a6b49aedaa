/**
 * The state, province or nation a phone number's area code places it in (ED-002, ED-003: "the
 * region taken from the HQ address or the phone number"). libphonenumber-js gives the country and
 * the national number; it carries no geography, so the prefixes are a table here. Only prefixes
 * whose every exchange lies in one subdivision are listed: a prefix that spans subdivisions
 * (NANP 201, 782, 867, 902; AU 02 5/02 6 with Canberra, 03 4/03 5 with the NSW border, 07 4/07 5/07 7
 * with northern NSW, 08 7/08 8 across SA, NT and Broken Hill, 08 91 with Christmas and Cocos
 * Islands; NZ 03, 06, 07, 09) implies no region, and a number without a listed prefix (mobiles,
 * non-geographic numbers) neither.
 *
 * Source: the geocoding data of Google's libphonenumber (resources/geocoding/en/{1,44,61,64}.txt,
 * Apache-2.0): a NANP area code is listed under the US state or Canadian province its every entry
 * names; AU, GB and NZ prefixes were read from the same data (e.g. 61 36 -> Hobart, Launceston,
 * Burnie, ... all in Tasmania; 44 28 -> Northern Ireland; 64 4 -> Wellington, Hutt Valley, Paraparaumu).
 * Codes are date-holidays subdivision codes.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** NANP area codes (+1) by "COUNTRY-STATE". */
const NANP: Readonly<Record<string, string>> = {
  'US-AK': '907',
  'US-AL': '205 251 256 334 659 938',
  'US-AR': '327 479 501 870',
  'US-AZ': '480 520 602 623 928',
  'US-CA':
    '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951',
  'US-CO': '303 719 720 748 970 983',
  'US-CT': '203 475 860 959',
  'US-DC': '202 771',
  'US-DE': '302',
  'US-FL': '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954',
  'US-GA': '229 404 470 478 678 706 762 770 912 943',
  'US-HI': '808',
  'US-IA': '319 515 563 641 712',
  'US-ID': '208 986',
  'US-IL': '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872',
  'US-IN': '219 260 317 463 574 765 812 930',
  'US-KS': '316 620 785 913',
  'US-KY': '270 364 502 606 859',
  'US-LA': '225 318 337 504 985',
  'US-MA': '339 351 413 508 617 774 781 857 978',
  'US-MD': '227 240 301 410 443 667',
  'US-ME': '207',
  'US-MI': '231 248 269 313 517 586 616 734 810 906 947 989',
  'US-MN': '218 320 507 612 651 763 952',
  'US-MO': '235 314 417 557 573 636 660 816 975',
  'US-MS': '228 601 662 769',
  'US-MT': '406',
  'US-NC': '252 336 472 704 743 828 910 919 980 984',
  'US-ND': '701',
  'US-NE': '308 402 531',
  'US-NH': '603',
  'US-NJ': '551 609 640 732 848 856 862 908 973',
  'US-NM': '505 575',
  'US-NV': '702 725 775',
  'US-NY': '212 315 329 332 347 363 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934',
  'US-OH': '216 220 234 283 326 330 380 419 440 513 567 614 740 937',
  'US-OK': '405 539 572 580 918',
  'US-OR': '458 503 541 971',
  'US-PA': '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878',
  'US-RI': '401',
  'US-SC': '803 821 839 843 854 864',
  'US-SD': '605',
  'US-TN': '423 615 629 731 865 901 931',
  'US-TX': '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
  'US-UT': '385 435 801',
  'US-VA': '276 434 540 571 686 703 757 804 826 948',
  'US-VT': '802',
  'US-WA': '206 253 360 425 509 564',
  'US-WI': '262 274 353 414 534 608 715 920',
  'US-WV': '304 681',
  'US-WY': '307',
  'CA-AB': '368 403 587 780 825',
  'CA-BC': '236 250 257 604 672 778',
  'CA-MB': '204 431 584',
  'CA-NB': '428 506',
  'CA-NL': '709 879',
  'CA-ON': '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 807 905 942',
  'CA-QC': '263 354 367 418 438 450 468 514 579 581 819 873',
  'CA-SK': '306 474 639',
};

/** National-number prefixes (after the country code, without the trunk 0) by "COUNTRY-STATE". */
const PREFIXES: Readonly<Record<string, string>> = {
  // Australia: Sydney metro, Newcastle/Wollongong/Central Coast, Southern Tablelands; Melbourne; Tasmania; Brisbane; Perth and WA.
  'AU-NSW': '23 24 27 28 29',
  'AU-VIC': '37 38 39',
  'AU-TAS': '36',
  'AU-QLD': '72 73',
  'AU-WA': '86 890 892 893 894 895 896 897 898 899',
  // United Kingdom: Northern Ireland 028; Cardiff 029, Swansea 01792; Edinburgh, Glasgow, Aberdeen, Dundee, Inverness;
  // London, Southampton/Portsmouth, Coventry, Leeds, Sheffield, Nottingham, Leicester, Bristol, Reading, Birmingham,
  // Liverpool, Manchester, Tyneside/Durham/Sunderland.
  'GB-NIR': '28',
  'GB-WLS': '29 1792',
  'GB-SCT': '131 141 1224 1382 1463',
  'GB-ENG': '20 23 24 113 114 115 116 117 118 121 151 161 191',
  // New Zealand: 04 is the Wellington region (Wellington, Hutt Valley, Kapiti Coast).
  'NZ-WGN': '4',
};

export interface PhoneRegion {
  country: string;
  state: string;
}

let index: Map<string, PhoneRegion> | undefined;
let longest = 0;
function getIndex(): Map<string, PhoneRegion> {
  if (index) return index;
  const m = new Map<string, PhoneRegion>();
  const add = (key: string, region: string, prefixes: string) => {
    const [country, state] = region.split('-') as [string, string];
    for (const p of prefixes.split(' ')) {
      m.set(`${key}:${p}`, { country, state });
      longest = Math.max(longest, p.length);
    }
  };
  for (const [region, codes] of Object.entries(NANP)) add('1', region, codes);
  for (const [region, codes] of Object.entries(PREFIXES)) add(region.slice(0, 2), region, codes);
  index = m;
  return m;
}

/**
 * The country and state of a phone number from its area code, or null when the number is invalid
 * or its prefix does not place it in one subdivision (ED-002, ED-003). +1 617 -> US/MA,
 * +1 514 -> CA/QC, +61 3 6xxx -> AU/TAS, +44 131 -> GB/SCT, +64 4 -> NZ/WGN; +61 4xx (mobile) -> null.
 */
export function phoneRegion(e164: string | null | undefined): PhoneRegion | null {
  if (!e164) return null;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.country || !parsed.isValid()) return null;
  const idx = getIndex();
  const national = String(parsed.nationalNumber);
  const key = parsed.countryCallingCode === '1' ? '1' : parsed.country;
  for (let n = Math.min(longest, national.length); n > 0; n--) {
    const hit = idx.get(`${key}:${national.slice(0, n)}`);
    // The table's country must be the number's (a NANP code of the Caribbean is not a US state).
    if (hit) return hit.country === parsed.country ? hit : null;
  }
  return null;
}
