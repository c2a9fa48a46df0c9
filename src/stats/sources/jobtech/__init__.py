"""JobTech: Historical ads per month and JobSearch's daily stock."""
