-- Argo CD health of Momentum's kinds (culture.momentum.dev): Initiative,
-- LeadingIndicator, Channel, RecognitionCampaign, Commitment and
-- CultureAssessment share one status contract (docs/status.md), so they
-- share this check. Generated into
-- argocd-cm.yaml by `make manifests`; edit this file, not that one.
--
--   not observed yet (no Ready, or observedGeneration < generation) -> Progressing
--   Stalled=True (e.g. Undecodable), whatever Ready's reason        -> Degraded
--   Ready=False, a reason that needs a person (any reason not
--     listed in heals below: NameConflict, QuietHoursConflict,
--     and reasons added later)                                      -> Degraded
--   spec.suspend, or Ready=True with reason Suspended               -> Suspended
--   Ready=False with a reason in heals, Ready=Unknown,
--     Reconciling=True                                              -> Progressing
--   Ready=True                                                      -> Healthy, with Ready's message;
--     MomentumAtRisk=True, DeliveryFailing=True (Initiative) and ReviewOverdue=True (Commitment)
--     stay Healthy and are appended to the message (a Degraded resource would block later sync waves).
local heals = {
  -- Reconciling after a transient error; retried with backoff.
  Retrying = true,
  -- A reference to an object in the same namespace that does not exist
  -- (yet): heals as soon as it is created, e.g. in a later sync wave.
  IndicatorNotFound = true,
  InitiativeNotFound = true,
  BehaviorNotFound = true,
  ChannelNotFound = true,
  -- Waiting on a Channel that is not checked yet, or not Ready; the
  -- Channel carries the fault itself.
  ChannelPending = true,
  ChannelNotReady = true,
}

local function condition(o, t)
  if o.status == nil or o.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(o.status.conditions) do
    if c.type == t then
      return c
    end
  end
  return nil
end

local function says(c)
  return (c.reason or "") .. ": " .. (c.message or "")
end

local hs = {}
local ready = condition(obj, "Ready")
local generation = obj.metadata.generation or 0
local observed = 0
if obj.status ~= nil and obj.status.observedGeneration ~= nil then
  observed = obj.status.observedGeneration
end
if ready == nil or observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to observe generation " .. string.format("%d", generation)
  return hs
end

local stalled = condition(obj, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = says(stalled)
  return hs
end
if ready.status == "False" and not heals[ready.reason] then
  hs.status = "Degraded"
  hs.message = says(ready)
  return hs
end
if (obj.spec ~= nil and obj.spec.suspend == true) or (ready.status == "True" and ready.reason == "Suspended") then
  hs.status = "Suspended"
  hs.message = ready.message
  return hs
end
local reconciling = condition(obj, "Reconciling")
if ready.status ~= "True" or (reconciling ~= nil and reconciling.status == "True") then
  hs.status = "Progressing"
  if reconciling ~= nil and reconciling.status == "True" then
    hs.message = says(reconciling)
  else
    hs.message = says(ready)
  end
  return hs
end

hs.status = "Healthy"
hs.message = ready.message
for _, t in ipairs({"MomentumAtRisk", "DeliveryFailing", "ReviewOverdue"}) do
  local c = condition(obj, t)
  if c ~= nil and c.status == "True" then
    hs.message = hs.message .. "; " .. t .. " " .. says(c)
  end
end
return hs
