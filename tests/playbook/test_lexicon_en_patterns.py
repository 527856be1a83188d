"""The general English patterns of lexicon/en.toml: each family found in persons, tenses, word
orders and registers the evaluation replies do not contain, its look-alikes left alone, and
negation still cancelling it. Sentences written for this file, not taken from the eval data."""

from datetime import date

import pytest

from amends.playbook import Context, check_reply
from amends.playbook.lexicon import ELEMENTS

TODAY = date(2026, 11, 23)  # a Monday
CTX = Context(today=TODAY)


def found(text: str, kind: str) -> bool:
    review = check_reply(text, "en", CTX)
    if kind in ELEMENTS:
        return review.elements[kind].present
    return kind in review.flag_kinds()


PRESENT = [
    # apology: the singular noun, owing one
    ("apology", "Please accept my sincere apology for the mix-up."),
    ("apology", "We owe you a proper apology for the missed visits."),
    # empathy: imagining what it did to the customer
    ("empathy", "We can well imagine how much stress the outage caused."),
    ("empathy", "I can imagine the worry when the heating failed in December."),
    # ownership: "mine to sort", owning the ticket
    ("ownership", "From now on your claim is mine to resolve."),
    ("ownership", "I'll own your complaint from here to the end."),
    # clarify: yes/no questions about what happened
    ("clarify", "Has anyone contacted you since Tuesday?"),
    ("clarify", "Did the engineer leave a job sheet with you?"),
    # blame_customer: counterfactuals, because-you clauses, ignored warnings, guesses
    ("blame_customer", "If you had only measured the doorway, the sofa would fit."),
    ("blame_customer", "Had you registered the warranty, this would be free."),
    ("blame_customer", "Had you taken a closer look at the listing, you'd have seen the size."),
    ("blame_customer", "You should've told us about the dog before the visit."),
    ("blame_customer", "The line dropped because you unplugged the router overnight."),
    ("blame_customer", "Because you weren't home, the parcel went back to the depot."),
    ("blame_customer", "Despite repeated reminders, the meter was never read."),
    ("blame_customer", "Even though you had been warned twice, the deadline passed."),
    ("blame_customer", "We did warn you that the paint needs a week to cure."),
    ("blame_customer", "The fine is the direct result of your late payment."),
    ("blame_customer", "You must have dropped the phone at some point."),
    ("blame_customer", "You were supposed to check the delivery on arrival."),
    ("blame_customer", "The crack is due to accidental damage."),
    ("blame_customer", "Sorry, but that is your own problem."),
    ("blame_customer", "The fault lies firmly with your wiring."),
    ("blame_customer", "You signed the form confirming that you had read the terms."),
    ("blame_customer", "You approved the layout yourself in March."),
    # blame_others: trades and third-party firms, the hold-up, passive agent, sending away
    ("blame_others", "The delay is down to the removal company, who turned up late."),
    ("blame_others", "Honestly, the roofer we hired simply botched the flashing."),
    ("blame_others", "The hold-up lies with our payment processor."),
    ("blame_others", "The scratches were caused by another tenant moving furniture."),
    ("blame_others", "Your complaint will have to go to the airline, not us."),
    ("blame_others", "You'll need to take it up with them directly."),
    ("blame_others", "The customs agent, who still hasn't released the crate, is the reason."),
    ("blame_others", "It was the landlord's fault that the boiler was not serviced."),
    ("blame_others", "Our supplier let us down badly this month."),
    # defensive: evidence and proof, our position, refusals "therefore", denials
    ("defensive", "Our position has not changed: the booking fee is payable."),
    ("defensive", "We find no grounds to refund the deposit."),
    ("defensive", "We've got the signed delivery note to prove it."),
    ("defensive", "The unit passed all our safety checks before dispatch."),
    ("defensive", "We're confident the goods left our warehouse in perfect condition."),
    ("defensive", "The backup ran without any errors on Sunday night."),
    ("defensive", "Frankly, I do not think our engineers made any mistake."),
    ("defensive", "I don't know what else our team could have done."),
    ("defensive", "We are therefore not in a position to offer compensation."),
    ("defensive", "Accordingly, we decline to reimburse the taxi fare."),
    ("defensive", "The fees were calculated strictly in accordance with the tariff."),
    ("defensive", "Our drivers never make mistakes with addresses."),
    ("defensive", "Your parcel was delivered to the correct address."),
    ("defensive", "The signature proves the parcel was received."),
    ("defensive", "There was no error whatsoever in the statement."),
    ("defensive", "We have no record of any call from you in October."),
    ("defensive", "This is not a defect but normal wear and tear."),
    ("defensive", "We cannot be held liable for the weather."),
    ("defensive", "There was no delay on our part at any stage."),
    ("defensive", "The decision stands."),
    ("defensive", "I'm afraid you're mistaken about the date."),
    ("defensive", "It is clearly displayed at the entrance, so the charge applies."),
    ("defensive", "The leak was not the result of any error by us."),
    ("defensive", "It all went out exactly as you specified in the order."),
    ("defensive", "The fault was theirs rather than ours."),
    # lecturing: pointing to the documents, "as I've explained", condescension
    ("lecturing", "For future reference, the reset button is on the back."),
    ("lecturing", "The terms clearly state that deposits are non-refundable."),
    ("lecturing", "Warm air rises; it's basic physics."),
    ("lecturing", "As I've already explained, the app needs the latest version."),
    ("lecturing", "Please check the user guide before calling our helpline."),
    ("lecturing", "I would recommend reading our installation guide again."),
    ("lecturing", "As we remind all our tenants, bins go out on Tuesday evening."),
    ("lecturing", "It's one of the basic rules every driver learns."),
    ("lecturing", "Surely you can appreciate that stock is limited."),
    ("lecturing", "As I'm sure you're aware, prices change every season."),
    ("lecturing", "The charges are printed on the back of each invoice."),
    ("lecturing", "Lots of customers get these two tariffs mixed up."),
    ("lecturing", "That's pretty much standard across the sector."),
    # vague_delay: undated promises, events nobody controls, someone somewhere
    ("vague_delay", "We'll sort it out as fast as we possibly can."),
    ("vague_delay", "I'll update you separately on the refund."),
    ("vague_delay", "We will book the repair once the part arrives."),
    ("vague_delay", "The refund follows when the supplier gets round to it."),
    ("vague_delay", "A member of our billing team will ring you."),
    ("vague_delay", "Someone in the returns department will be in touch."),
    ("vague_delay", "You'll hear from us over the coming days."),
    ("vague_delay", "We will handle your claim as a matter of priority."),
    ("vague_delay", "I shall write to you again when I have an update."),
    # empathy: emphatic "do understand", "that sounds ..."
    ("empathy", "We do appreciate how long you have been waiting for the engineer."),
    ("empathy", "I do see why the new invoice layout confused you."),
    ("empathy", "Honestly, all of that sounds utterly exhausting."),
    ("empathy", "It sounds like it has been a real ordeal for your family."),
    # clarify: more request verbs, checking my own understanding, asking leave to ask
    ("clarify", "Would you kindly note down the serial number on the label?"),
    ("clarify", "Please summarise which invoices you think are duplicated."),
    ("clarify", "To double-check my understanding, the tap drips only at night?"),
    ("clarify", "May I ask when you first noticed the smell?"),
    ("clarify", "Could I quickly confirm which address the parcel should go to?"),
    # blame_customer: "this time" demands, misuse conditionals
    ("blame_customer", "Kindly ensure the code is right this time."),
    ("blame_customer", "We'll rebook the visit; somebody will be home this time, I trust."),
    ("blame_customer", "The seals perish if you wash them too hot."),
    ("blame_customer", "The battery swells if you charge it flat out every night."),
    # defensive: a charge defended, refusing to apologise, non-apologies, dismissing
    # protest, "running normally all along", "works as intended", confident denial
    ("defensive", "Your monthly late payment penalty was entirely justified."),
    ("defensive", "The surcharge is valid and it remains on the account."),
    ("defensive", "We see no reason to apologise for applying the policy."),
    ("defensive", "We would rather not apologise for a rule we did not write."),
    ("defensive", "There is nothing for us to apologise for here."),
    ("defensive", "I'm sorry if you felt offended by the engineer's remark."),
    ("defensive", "Threatening us with the ombudsman is not going to speed anything up."),
    ("defensive", "Negative reviews won't change the terms of your lease."),
    ("defensive", "The portal has been working perfectly the whole week."),
    ("defensive", "We have no record of any interruption in your area."),
    ("defensive", "The export button behaves exactly as designed."),
    ("defensive", "The app clearly cannot cause that problem on its own."),
    # lecturing: explaining again, slowly, in simple words
    ("lecturing", "I will go through it again slowly so there is no confusion."),
    ("lecturing", "Allow me to spell it out once more."),
    ("lecturing", "Let me put it in simple terms for you."),
    # apology: feeling bad about it
    ("apology", "We feel awful about the state the flat was left in."),
    # empathy: "get why", "I'd be ... too", "can't imagine how"
    ("empathy", "I totally get how disruptive the roadworks were."),
    ("empathy", "We'd feel equally fed up as well."),
    ("empathy", "We cannot begin to imagine what the last fortnight was like."),
    # ownership: taking responsibility for the case
    ("ownership", "I am now taking full responsibility for your claim."),
    # clarify: polite indirect requests, questions about what happened
    ("clarify", "Would you mind forwarding the booking confirmation?"),
    ("clarify", "Will you be able to list the rooms without heating?"),
    ("clarify", "That'd be a big help if you could attach the receipt."),
    ("clarify", "If you would kindly confirm the meter number, I can book the visit."),
    ("clarify", "Do you happen to have the tracking number?"),
    ("clarify", "How long was the unit switched off?"),
    # blame_customer: "the problem is that you ..."
    ("blame_customer", "The issue was that you never activated the card."),
    # blame_others: a previous tradesperson's poor job
    ("blame_others", "The former fitter did a shoddy job on the skirting."),
    # defensive: the charge is in line with the terms, nothing more to do, records show
    ("defensive", "The penalty was strictly in accordance with the tariff."),
    ("defensive", "I'm afraid there is nothing further our team can offer."),
    ("defensive", "The tracking data shows that your order was delivered."),
    # lecturing: pointing to the policy, previous emails, being told before
    ("lecturing", "As outlined in the booking conditions, pets are not allowed."),
    ("lecturing", "As noted in my earlier reply, the deposit is held for 10 days."),
    ("lecturing", "As you have been advised several times, the meter is yours."),
    ("lecturing", "You ought to study the user manual carefully."),
    ("lecturing", "It really is not that tricky to pair the remote."),
    # vague_delay: "... and will let you know", "eventually", "bear with us"
    ("vague_delay", "The team is checking the account and will keep you posted."),
    ("vague_delay", "They'll eventually replace the panel."),
    ("vague_delay", "Please bear with me until the supplier replies."),
    # defensive: denying a fault, "that's not what happened", vouching for the staff,
    # dismissing the claim, "not in a position to", "I must point out that you"
    ("defensive", "The appliance wasn't defective when we inspected it."),
    ("defensive", "With respect, this was not how it happened."),
    ("defensive", "I'm sorry, but it is not accurate."),
    ("defensive", "Our fitters are highly experienced and know how to hang a door."),
    ("defensive", "The engineer did the installation to a high standard."),
    ("defensive", "Our crew could never have made such a mistake."),
    ("defensive", "The allegations are entirely groundless."),
    ("defensive", "We are not in a position to waive the fee."),
    ("defensive", "We have to remind you that the contract runs for 24 months."),
    # blame_customer: told clearly, the cheap option, ignored reminders, their duty
    ("blame_customer", "You had been explicitly warned about the weight limit."),
    ("blame_customer", "You opted for the economy service, which has no tracking."),
    ("blame_customer", "It seems you disregarded our reminders in October."),
    ("blame_customer", "You need to accept your share of the responsibility."),
    ("blame_customer", "It is the tenant's sole responsibility to bleed the radiators."),
    # blame_others: someone holding it up, the partner firm failing
    ("blame_others", "Their insurer has been dragging its feet for weeks."),
    ("blame_others", "The haulier we use simply forgot your pallet."),
    # vague_delay: "... and let you know", in due time
    ("vague_delay", "I'll raise it with billing and let you know."),
    ("vague_delay", "The credit will appear within a reasonable timeframe."),
    # ownership: "leave it with me", "I'll be the one", keeping an eye on it myself
    ("ownership", "Leave the rest with me, Mrs Cole."),
    ("ownership", "I'm going to be the person overseeing the repair."),
    ("ownership", "I'll keep track of the refund myself."),
    # apology: "that's on us" with an adverb
    ("apology", "That one is squarely on me."),
    # clarify: "remind me", "is there a photo you could ..."
    ("clarify", "Could you remind me which branch you visited?"),
    ("clarify", "Are there any screenshots that you might forward?"),
    # defensive: not going to apologise
    ("defensive", "We're not going to apologise for checking your ID."),
]

ABSENT = [
    # look-alikes: a demanded apology, a guarantee honoured, reassurance, our own admission
    ("apology", "You demanded an apology from the driver."),
    ("defensive", "We stand by our lifetime warranty, so the new frame is free."),
    ("defensive", "Our records clearly show that we billed you twice, which is our mistake."),
    (
        "defensive",
        "You asked whether you must pay again, and that's not the case: you are covered.",
    ),
    ("defensive", "This isn't a defect on your part; our fitter made the mistake."),
    ("blame_others", "Our technician found the fault in the fuse box and replaced it."),
    ("blame_customer", "As a result of your feedback, we now pack every lamp in foam."),
    ("defensive", "There was no mistake on your part; the error was ours."),
    ("blame_customer", "We are sorry because you did not receive the parcel."),
    ("blame_customer", "If you'd like, I can call you on Friday 27 November."),
    ("lecturing", "The rate is clearly marked on the booking page."),
    # the agent explaining, a visit "to check", a neutral charge, a fixed service
    ("clarify", "I'll explain it once more in the letter we send on Friday."),
    ("clarify", "Our fitter will come round to check the hinges."),
    ("clarify", "Everyone on the team knows to check the meter twice."),
    ("defensive", "We found that the fee was not correct and have refunded it."),
    ("defensive", "Is the cancellation fee correct on your statement?"),
    ("defensive", "Since the router swap your line has been working normally."),
    ("defensive", "Calling us again won't cost you anything."),
    ("defensive", "Version 5 doesn't have that bug, so the update will fix it."),
    ("empathy", "It sounds like the part is on back order."),
    ("empathy", "Do you understand the new layout?"),
    ("blame_customer", "This time we will make sure the courier waits for a signature."),
    ("blame_customer", "If you run the heating at 20 degrees, the boards will settle."),
    ("lecturing", "Let me explain what happens next with your claim."),
    ("apology", "I don't feel bad about enforcing the terms."),
    ("empathy", "I can't imagine we charged you twice."),
    ("clarify", "Do you have any other questions?"),
    ("defensive", "Our records show your parcel was delivered to the wrong address."),
    ("defensive", "There's nothing more you need to do on your side."),
    ("lecturing", "It's not difficult for us to book a second visit."),
    ("vague_delay", "The replacement eventually arrived last Tuesday."),
    ("blame_others", "Our previous engineer visit was booked for Monday."),
    ("vague_delay", "We are checking the account and will let you know by Friday 27 November."),
    ("defensive", "Good news: the boiler is not damaged."),
    ("defensive", "If this is not correct, please tell me."),
    ("defensive", "It is not fair that you had to wait."),
    ("defensive", "Our staff are fully trained to help with meter readings."),
    ("defensive", "I must point out that we made the error, not you."),
    ("blame_customer", "You were clearly right to raise this with us."),
    ("blame_customer", "I'm sorry if you missed our letter; a copy is attached."),
    ("blame_customer", "It's not the buyer's responsibility to chase the refund."),
    ("blame_others", "The bank held the payment for a security check, which I have cleared."),
    ("vague_delay", "I'll check the logs and let you know by Friday 27 November."),
    ("clarify", "Please let us know if you need anything else."),
    ("defensive", "Please tell us if there's anything more we can do."),
    ("ownership", "Please leave your keys with the concierge."),
    ("apology", "That was on the courier's van, not in the warehouse."),
    ("vague_delay", "The replacement will be with you by the end of next week."),
    # a date makes a promise concrete
    ("vague_delay", "A member of our billing team will ring you by Friday 27 November."),
    ("vague_delay", "I'll update you separately by Thursday 26 November."),
    ("vague_delay", "You'll hear from us within 3 working days."),
    # negation still cancels
    ("blame_customer", "We would never say it was the result of your actions."),
    ("blame_others", "Our payment processor was not to blame for the hold-up."),
    ("defensive", "I won't pretend we did everything we could."),
    ("lecturing", "You don't need to read the user guide before calling us."),
    ("vague_delay", "We won't make you wait until the part arrives."),
]


@pytest.mark.parametrize(("kind", "text"), PRESENT)
def test_general_pattern_is_found(kind, text):
    assert found(text, kind), text


@pytest.mark.parametrize(("kind", "text"), ABSENT)
def test_look_alike_or_negated_is_not_found(kind, text):
    assert not found(text, kind), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The refund goes out by 16:00 today.", TODAY),
        ("I'll call you back before noon today.", TODAY),
        ("The fitter is back on Thursday to finish the tiling.", date(2026, 11, 26)),
    ],
)
def test_time_today_and_a_return_visit_are_next_steps(text, expected):
    assert check_reply(text, "en", CTX).next_step_date == expected


@pytest.mark.parametrize(
    "text",
    [
        "Could you forward the error logs from Monday?",
        "Please attach the photos from last Wednesday.",
        "Your emails from Friday show the old address.",
    ],
)
def test_a_record_from_a_weekday_is_told_about_the_past(text):
    assert check_reply(text, "en", CTX).next_step_date is None


def test_a_weekday_after_from_alone_stays_a_promise():
    text = "Our engineer can visit from Wednesday, and I'll confirm by Wednesday 25 November."
    assert check_reply(text, "en", CTX).next_step_date == date(2026, 11, 25)


def test_as_arranged_is_told_about_the_past():
    text = "If you had been in on Friday as arranged, the boiler would be fixed."
    assert check_reply(text, "en", CTX).next_step_date is None
