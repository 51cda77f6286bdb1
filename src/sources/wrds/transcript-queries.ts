/** Capital IQ codes (S&P's official samples): key development event type 48 is an earnings call; 5 is a final transcript. */
const earningsCall = 48
const finalPresentation = 5

/** Firms with an earnings call in [$1, $2), each with its latest name. */
export function firmsQuery(schema: string): string {
  return `
    SELECT d.companyid::bigint::text AS firm_id,
           (array_agg(d.companyname ORDER BY d.mostimportantdateutc DESC, d.transcriptid DESC))[1] AS firm_name
    FROM ${schema}.wrds_transcript_detail d
    WHERE d.keydeveventtypeid = ${earningsCall} AND d.mostimportantdateutc >= $1 AND d.mostimportantdateutc < $2
    GROUP BY d.companyid`
}

/**
 * One firm's earnings call in [$2, $3): of each call (key development) the latest version, final transcripts first,
 * then the highest transcript id; of several calls in the quarter the latest; its components in order with the
 * speaker type.
 */
export function firmCallQuery(schema: string): string {
  return `
    WITH versions AS (
      SELECT d.companyid, d.companyname, d.transcriptid, d.mostimportantdateutc,
             ROW_NUMBER() OVER (PARTITION BY d.keydevid
                                ORDER BY (d.transcriptpresentationtypeid = ${finalPresentation}) DESC, d.transcriptid DESC) AS version_rank
      FROM ${schema}.wrds_transcript_detail d
      WHERE d.companyid = $1 AND d.keydeveventtypeid = ${earningsCall}
        AND d.mostimportantdateutc >= $2 AND d.mostimportantdateutc < $3
    ), chosen AS (
      SELECT * FROM versions WHERE version_rank = 1 ORDER BY mostimportantdateutc DESC, transcriptid DESC LIMIT 1
    )
    SELECT chosen.companyid::bigint::text AS firm_id, chosen.companyname AS firm_name,
           chosen.transcriptid::bigint::text AS transcript_id,
           to_char(chosen.mostimportantdateutc, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS call_date,
           c.componentorder AS component_order, coalesce(p.speakertypename, '') AS speaker_type,
           coalesce(c.componenttext, '') AS component_text, coalesce(p.transcriptcomponenttypename, '') AS component_type
    FROM chosen
    JOIN ${schema}.ciqtranscriptcomponent c ON c.transcriptid = chosen.transcriptid
    LEFT JOIN ${schema}.wrds_transcript_person p ON p.transcriptcomponentid = c.transcriptcomponentid
    ORDER BY c.componentorder`
}

/**
 * What a run's fingerprint of the database keeps per quarter: how many earnings-call transcripts (every version) have
 * a call date in [$1, $2), and the highest transcript id among them. WRDS publishes a corrected call as a new
 * transcript (a higher id), so a new or withdrawn version changes one of the two. One aggregate over the detail table.
 */
export function quarterFingerprintQuery(schema: string): string {
  return `
    SELECT count(*)::text AS transcripts, coalesce(max(d.transcriptid), 0)::bigint::text AS latest_transcript_id
    FROM ${schema}.wrds_transcript_detail d
    WHERE d.keydeveventtypeid = ${earningsCall} AND d.mostimportantdateutc >= $1 AND d.mostimportantdateutc < $2`
}

/** The first day of a quarter and of the next one, as ISO dates: the half-open range of its call dates. */
export function quarterRange(quarter: string): [string, string] {
  const year = Number(quarter.slice(0, 4))
  const index = Number(quarter.slice(5)) - 1
  const start = `${year}-${String(index * 3 + 1).padStart(2, '0')}-01`
  const end = index === 3 ? `${year + 1}-01-01` : `${year}-${String(index * 3 + 4).padStart(2, '0')}-01`
  return [start, end]
}
